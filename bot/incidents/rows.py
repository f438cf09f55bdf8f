"""Table rows built the way SQLAlchemy builds the ones it loads: no model-level defaults or
checks. The incident stage makes thousands of rows whose every value it computed itself, and
the model constructor costs more than the clustering of a report."""

from typing import Any, TypeVar

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import configure_mappers
from sqlalchemy.orm.attributes import set_attribute
from sqlmodel import SQLModel

T = TypeVar("T", bound=SQLModel)


def build(model: type[T], **values: Any) -> T:
    """A `model` row holding exactly `values`, which must name every field (a field left out
    would be neither defaulted nor loaded, and a later read would query the database)."""
    missing = model.model_fields.keys() - values.keys()
    if missing:
        raise ValueError(f"{model.__name__} row without {', '.join(sorted(missing))}")
    configure_mappers()  # a no-op once done; the first row may come before any query
    row = sa_inspect(model).class_manager.new_instance()  # state set up, no __init__
    for name, value in values.items():
        set_attribute(row, name, value)  # instrumented: the flush sees every column
    object.__setattr__(row, "__pydantic_fields_set__", set(values))
    return row
