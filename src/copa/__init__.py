"""copa: runs multi-stage football pyramids like the Copa Perú."""

__version__ = "0.1.0"
