"""The competition spec: every YAML document copa reads or writes."""
