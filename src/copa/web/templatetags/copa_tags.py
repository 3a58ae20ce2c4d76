from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def pct(value: Any) -> str:
    """0.0112 -> "1.1 %"."""
    try:
        return f"{100 * float(value):.1f} %"
    except (TypeError, ValueError):
        return ""
