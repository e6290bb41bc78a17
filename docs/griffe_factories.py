"""A griffe extension for the API reference: classes and functions made by a factory show as such.

griffe reads the source, so ``FloatTensor = _typed("FloatTensor", ...)`` (minitorch/legacy.py) or
``max_pool2d_with_indices = _max_pool_with_indices(max_pool2d)`` would show as a module attribute
with its source expression, without the docstring the factory gives it. This imports the module
(those that importing the package loads, which hold what the reference shows: no side effects)
and, for each attribute whose value is a class or function of that name made in that module,
puts in its place a class or function (signature included) with the object's own docstring. An
attribute that is another name for a public one (``concat = cat``, ``bool = bool_``) gets a
one-line docstring that says so.
"""
import importlib
import inspect
import sys

import griffe


def _parameters(value):
    """griffe's parameters of function ``value``, from its runtime signature."""
    return griffe.Parameters(*[
        griffe.Parameter(p.name, kind=griffe.ParameterKind(p.kind.description),
                         default=None if p.default is p.empty else repr(p.default))
        for p in inspect.signature(value).parameters.values()])


def _made_object(attr, value, agent):
    """A griffe class or function for ``attr``, whose runtime value ``value`` was made by a factory."""
    docstring = griffe.Docstring(inspect.getdoc(value) or "", lineno=attr.lineno, endlineno=attr.endlineno,
                                 parser=agent.docstring_parser, parser_options=agent.docstring_options)
    where = dict(lineno=attr.lineno, endlineno=attr.endlineno, docstring=docstring)
    if inspect.isclass(value):
        return griffe.Class(attr.name, **where)
    return griffe.Function(attr.name, parameters=_parameters(value), **where)


def _other_name(member, value):
    """The public name that attribute ``member`` (of runtime ``value``) is another name for, or None."""
    name = value.__name__ if inspect.isclass(value) or inspect.isfunction(value) else str(member.value)
    return name if name.isidentifier() and not name.startswith("_") and name != member.name else None


class FactoryObjects(griffe.Extension):
    """Turns a module's factory-made classes and functions from attributes into what they are."""

    def on_module_members(self, *, node, mod, agent, **kwargs):
        """Called once per module, when griffe has read its members from the source."""
        importlib.import_module(mod.package.path)
        module = sys.modules.get(mod.path)
        if module is None:
            return
        for name, member in list(mod.members.items()):
            if member.is_alias or not member.is_attribute:
                continue
            value = getattr(module, name, None)
            if (inspect.isclass(value) or inspect.isfunction(value)) and (value.__name__, value.__module__) == (
                    name, mod.path):
                made = _made_object(member, value, agent)
                mod.set_member(name, made)
                agent.extensions.call("on_instance", node=node, obj=made, agent=agent)
            elif member.docstring is None and (other := _other_name(member, value)):
                member.docstring = griffe.Docstring(f"Another name for `{other}`.", parent=member,
                                                    parser=agent.docstring_parser,
                                                    parser_options=agent.docstring_options)
