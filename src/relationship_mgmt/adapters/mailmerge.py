r"""Jinja2 mail merge in a sandbox with caps (extra ``mailmerge``; reliability.md B.6).

:class:`JinjaRenderer` is the library's
:class:`~relationship_mgmt.ports.delivery.MergeRenderer`. A template runs in Jinja2's
``ImmutableSandboxedEnvironment`` with ``StrictUndefined`` (a merge field without a
value is an error, never an empty string), HTML autoescaping for HTML bodies, no
loader (``{% include %}``, ``{% import %}`` and ``{% extends %}`` are refused), and
a context of plain dictionaries of strings
(:func:`~relationship_mgmt.domain.mailmerge.merge_context`).

Before anything is rendered, :meth:`JinjaRenderer.check` parses the template and
refuses every record or field it names outside the merge-field catalogue
(:data:`~relationship_mgmt.domain.mailmerge.MERGE_FIELDS`), every attribute that
starts with ``_`` and every include or import.

The sandbox keeps a template away from Python's internals but does not bound its
work (B.4), so the renderer adds caps:

* **source size**: 64 KiB of UTF-8 by default;
* **output size**: 1 MiB of UTF-8 by default, counted while the output is produced
  and checked on every intermediate string the template builds (``*``, ``**``,
  ``%``, ``+``, ``~``, calls, filters, ``{{ ... }}``); widths in ``center``,
  ``ljust``, ``format`` specifications and the like may not exceed it either;
* **time**: 2 seconds by default, checked at every call, attribute or item access,
  intercepted operator and piece of output.

The in-process time check is cooperative: a loop that builds nothing and calls
nothing is not interrupted. For templates written by people you do not trust, use
``isolation="process"``: each template is rendered in a worker process that is
killed when the time is up and whose address space is capped
(``memory_limit_bytes``, POSIX only), so even a template that escaped every check cannot hang or exhaust
the caller.

Every Jinja2 exception becomes a :class:`~relationship_mgmt.errors.TemplateError`
(:class:`~relationship_mgmt.errors.TemplateSecurityError` for the sandbox,
:class:`~relationship_mgmt.errors.TemplateLimitError` for a cap) that names the
template, with Jinja2's exception as ``__cause__``.

>>> from relationship_mgmt.domain.mailmerge import MERGE_FIELDS
>>> renderer = JinjaRenderer()
>>> source = "Dear {{ contact.salutation or contact.name }},"
>>> renderer.check(source, name="greeting", fields=MERGE_FIELDS)
>>> renderer.render(source, {"contact": {"name": "Ann", "salutation": ""}}, name="greeting")
'Dear Ann,'
>>> renderer.render("<p>{{ contact.name }}</p>", {"contact": {"name": "<b>Bo</b>"}},
...                 name="html", html=True)
'<p>&lt;b&gt;Bo&lt;/b&gt;</p>'
>>> renderer.check("{{ contact.shoe_size }}", name="bad", fields=MERGE_FIELDS)
Traceback (most recent call last):
...
relationship_mgmt.errors.TemplateError: bad (line 1): unknown merge field contact.shoe_size
"""

from __future__ import annotations

import contextvars
import functools
import json
import os
import queue
import re
import string
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, Literal, Self

from relationship_mgmt.errors import (
    MissingOptionalDependencyError,
    RelationshipMgmtError,
    TemplateError,
    TemplateLimitError,
    TemplateSecurityError,
    ValidationError,
)

if TYPE_CHECKING:
    import jinja2
    import jinja2.sandbox
    from jinja2 import nodes

__all__ = [
    "DEFAULT_MAX_OUTPUT_BYTES",
    "DEFAULT_MAX_SOURCE_BYTES",
    "DEFAULT_MEMORY_LIMIT_BYTES",
    "DEFAULT_TIME_BUDGET",
    "JinjaRenderer",
]

DEFAULT_MAX_SOURCE_BYTES: Final = 64 * 1024
"""The largest template source, in bytes of UTF-8."""
DEFAULT_MAX_OUTPUT_BYTES: Final = 1024 * 1024
"""The largest rendered output, in bytes of UTF-8 (1 MiB, reliability.md B.6)."""
DEFAULT_TIME_BUDGET: Final = 2.0
"""Seconds one render may take."""
DEFAULT_MEMORY_LIMIT_BYTES: Final = 1024 * 1024 * 1024
"""The address-space cap of a worker process (``isolation="process"``)."""

_TEMPLATE_FILE: Final = "<template>"  # what Jinja2 calls a template from a string
_GRACE: Final = 1.0  # seconds a worker gets past the budget before it is killed
_STARTUP_SECONDS: Final = 60.0  # a cold worker imports the library and jinja2
_CACHE_SIZE: Final = 128
_WIDTH_METHODS: Final = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_PERCENT_SPEC: Final = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d*)(?:\.(\d+))?")
_DIGITS: Final = re.compile(r"\d+")


def _missing() -> MissingOptionalDependencyError:
    return MissingOptionalDependencyError("mailmerge", "mail merge (JinjaRenderer)")


# --- the budget of the render in progress ----------------------------------------------


class _Budget:
    """The caps of one render; the environment's hooks check them."""

    __slots__ = ("deadline", "max_output", "name", "seconds")

    def __init__(self, name: str, seconds: float, max_output: int) -> None:
        self.name = name
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.max_output = max_output

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimitError(
                self.name, "time", f"took longer than {self.seconds:g} s to render"
            )

    def size(self, value: object) -> None:
        if (
            isinstance(value, str | list | tuple | dict)
            and len(value) > self.max_output
        ):
            raise TemplateLimitError(
                self.name,
                "output size",
                f"builds a value of {len(value)} characters or items, over the cap of "
                f"{self.max_output}",
            )

    def width(self, number: object) -> None:
        if isinstance(number, int) and abs(number) > self.max_output:
            raise TemplateLimitError(
                self.name,
                "output size",
                f"asks for a width of {number}, over the cap of {self.max_output}",
            )

    def widths_in(self, text: str, *, braces: bool) -> None:
        """Check the widths and precisions in a ``%`` or ``{}`` format string."""
        if braces:
            try:
                specs = [spec or "" for _, _, spec, _ in string.Formatter().parse(text)]
            except ValueError:
                return  # the call itself will fail with the right error
            numbers = [int(n) for spec in specs for n in _DIGITS.findall(spec)]
        else:
            numbers = [
                int(n)
                for match in _PERCENT_SPEC.finditer(text)
                for n in match.groups()
                if n
            ]
        for number in numbers:
            self.width(number)


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar(
    "relationship_mgmt_merge_budget", default=None
)


def _tick() -> _Budget | None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.tick()
    return budget


def _checked(value: Any) -> Any:  # noqa: ANN401 - any template value
    budget = _BUDGET.get()
    if budget is not None:
        budget.size(value)
    return value


# --- the environment -------------------------------------------------------------------


class _NotNow(Exception):  # noqa: N818 - never leaves the module
    """A filter called outside a render (Jinja2 folding constants): not now."""


def _guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a filter: its width arguments and its result stay within the caps."""
    offset = 0 if getattr(func, "jinja_pass_arg", None) is None else 1

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        budget = _tick()
        if budget is None:
            # Jinja2 folds filters of constants while compiling, outside any
            # render and its caps; refusing here leaves them to the render.
            raise _NotNow
        for extra in (*args[offset + 1 :], *kwargs.values()):
            budget.width(extra)
        value = args[offset] if len(args) > offset else None
        if name == "format" and isinstance(value, str):
            budget.widths_in(value, braces=False)
        return _checked(func(*args, **kwargs))

    return guarded


@functools.cache
def _environment_class() -> type[jinja2.sandbox.ImmutableSandboxedEnvironment]:
    """Build the sandbox class once jinja2 is known to be there."""
    try:
        from jinja2.compiler import CodeGenerator, Frame  # noqa: PLC0415
        from jinja2.sandbox import ImmutableSandboxedEnvironment  # noqa: PLC0415
    except ImportError as error:
        raise _missing() from error
    from jinja2 import nodes as jinja_nodes  # noqa: PLC0415

    class _CheckedConcat(CodeGenerator):
        """Route ``~`` through the size check (Jinja2 joins strings directly)."""

        def visit_Concat(self, node: jinja_nodes.Concat, frame: Frame) -> None:  # noqa: N802 - Jinja2's visitor name
            self.write("environment.rm_checked(")
            super().visit_Concat(node, frame)
            self.write(")")

    class _MergeEnvironment(ImmutableSandboxedEnvironment):
        """The immutable sandbox with the renderer's caps at every hook."""

        code_generator_class = _CheckedConcat
        intercepted_binops = frozenset({"*", "**", "%", "+"})

        def rm_checked(self, value: Any) -> Any:  # noqa: ANN401
            return _checked(value)

        def call(
            self,
            context: Any,  # noqa: ANN401
            obj: Any,  # noqa: ANN401
            /,
            *args: Any,  # noqa: ANN401
            **kwargs: Any,  # noqa: ANN401
        ) -> Any:  # noqa: ANN401
            _check_call(obj, args, kwargs)
            return _checked(super().call(context, obj, *args, **kwargs))

        def getattr(self, obj: Any, attribute: str) -> Any:  # noqa: ANN401
            _tick()
            return super().getattr(obj, attribute)

        def getitem(self, obj: Any, argument: Any) -> Any:  # noqa: ANN401
            _tick()
            return super().getitem(obj, argument)

        def call_binop(
            self,
            context: Any,  # noqa: ANN401
            operator: str,
            left: Any,  # noqa: ANN401
            right: Any,  # noqa: ANN401
        ) -> Any:  # noqa: ANN401
            budget = _tick()
            if budget is not None:
                _check_binop(budget, operator, left, right)
            return _checked(super().call_binop(context, operator, left, right))

        def wrap_str_format(self, value: Any) -> Callable[..., str] | None:  # noqa: ANN401
            wrapped = super().wrap_str_format(value)
            return None if wrapped is None else _checked_format(wrapped, value.__self__)

    return _MergeEnvironment


def _check_call(
    obj: object, args: tuple[object, ...], kwargs: dict[str, object]
) -> None:
    """A call from a template: the time, and the widths of ``str.center`` and kin."""
    budget = _tick()
    if (
        budget is not None
        and getattr(obj, "__name__", "") in _WIDTH_METHODS
        and isinstance(getattr(obj, "__self__", None), str)
    ):
        for number in (*args, *kwargs.values()):
            budget.width(number)


def _checked_format(wrapped: Callable[..., str], pattern: str) -> Callable[..., str]:
    """``str.format`` as the sandbox wraps it, with the widths of ``pattern`` checked."""

    def checked_format(*args: object, **kwargs: object) -> str:
        budget = _tick()
        if budget is not None:
            budget.widths_in(pattern, braces=True)
        return str(_checked(wrapped(*args, **kwargs)))

    return checked_format


def _check_binop(budget: _Budget, operator: str, left: object, right: object) -> None:
    sized = (str, list, tuple)
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, sized) and isinstance(times, int):
                budget.width(len(seq) * times)
    elif operator == "**":
        if (
            isinstance(left, int)
            and isinstance(right, int)
            and right > 0
            and abs(left) > 1
        ):
            budget.width(left.bit_length() * right // 8)
    elif operator == "%" and isinstance(left, str):
        budget.widths_in(left, braces=False)


def _finalize(value: Any) -> Any:  # noqa: ANN401
    """Every ``{{ ... }}`` passes here: a check of the time and of the value's size."""
    _tick()
    return _checked(value)


def _new_environment(*, html: bool) -> jinja2.sandbox.ImmutableSandboxedEnvironment:
    from jinja2 import StrictUndefined  # noqa: PLC0415

    env = _environment_class()(
        undefined=StrictUndefined,
        autoescape=html,
        finalize=_finalize,
        loader=None,
        keep_trailing_newline=True,
    )
    # Only what a merge needs; lipsum, cycler, joiner and namespace are left out
    # (namespace is the one mutable object a sandboxed template could grow).
    env.globals = {"range": env.globals["range"], "dict": dict}
    env.filters = {
        name: _guard_filter(name, func)
        for name, func in env.filters.items()
        if name != "random"  # a merge is deterministic
    }
    return env


# --- static checks ------------------------------------------------------------------------


def _walk(node: nodes.Node) -> Iterator[nodes.Node]:
    yield node
    for child in node.iter_child_nodes():
        yield from _walk(child)


def _static_checks(
    ast: nodes.Template, name: str, fields: Mapping[str, Collection[str]] | None
) -> None:
    """Refuse includes and ``_`` attributes; with ``fields``, unknown merge fields."""
    from jinja2 import meta  # noqa: PLC0415
    from jinja2 import nodes as jinja_nodes  # noqa: PLC0415

    refs = (
        jinja_nodes.Extends,
        jinja_nodes.Include,
        jinja_nodes.Import,
        jinja_nodes.FromImport,
    )
    undeclared = set() if fields is None else meta.find_undeclared_variables(ast)
    for node in _walk(ast):
        if isinstance(node, refs):
            kind = type(node).__name__.lower()
            raise TemplateSecurityError(
                name, f"{kind} is not allowed in a merge template", node.lineno
            )
        attribute = _attribute_of(node, jinja_nodes)
        if attribute is None:
            continue
        if attribute.startswith("_"):
            raise TemplateSecurityError(
                name, f"attribute {attribute!r} is not accessible", node.lineno
            )
        target = node.node  # type: ignore[attr-defined]
        if (
            fields is not None
            and isinstance(target, jinja_nodes.Name)
            and target.name in undeclared
            and target.name in fields
            and attribute not in fields[target.name]
        ):
            raise TemplateError(
                name, f"unknown merge field {target.name}.{attribute}", node.lineno
            )
    if fields is None:
        return
    unknown = sorted(undeclared - set(fields))
    if unknown:
        raise TemplateError(
            name,
            f"unknown merge record(s) {', '.join(unknown)}; the catalogue has "
            f"{', '.join(sorted(fields))}",
        )


def _attribute_of(node: nodes.Node, jinja_nodes: Any) -> str | None:  # noqa: ANN401
    """The attribute a node reads by a constant name (``x.a``, ``x['a']``, ``x|attr('a')``)."""
    if isinstance(node, jinja_nodes.Getattr):
        return str(node.attr)
    if (
        isinstance(node, jinja_nodes.Filter)
        and node.name == "attr"
        and node.args
        and isinstance(node.args[0], jinja_nodes.Const)
        and isinstance(node.args[0].value, str)
    ):
        return node.args[0].value
    if (
        isinstance(node, jinja_nodes.Getitem)
        and isinstance(node.arg, jinja_nodes.Const)
        and isinstance(node.arg.value, str)
    ):
        return node.arg.value
    return None


def _template_line(error: BaseException) -> int | None:
    line = getattr(error, "lineno", None)
    if isinstance(line, int):
        return line
    found = None
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == _TEMPLATE_FILE:
            found = tb.tb_lineno
        tb = tb.tb_next
    return found


def _translate(error: Exception, name: str) -> TemplateError:
    """Turn anything a template raised into the library's error (never Jinja2's)."""
    from jinja2 import exceptions  # noqa: PLC0415

    line = _template_line(error)
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    if isinstance(error, exceptions.SecurityError):
        return TemplateSecurityError(name, message, line)
    if isinstance(error, exceptions.UndefinedError):
        return TemplateError(name, f"no value: {message}", line)
    if isinstance(error, exceptions.TemplateSyntaxError):
        return TemplateError(name, f"syntax error: {message}", line)
    if isinstance(error, OverflowError | MemoryError | RecursionError):
        limit = "time" if isinstance(error, RecursionError) else "output size"
        return TemplateLimitError(
            name, limit, f"{type(error).__name__}: {message}", line
        )
    return TemplateError(name, f"{type(error).__name__}: {message}", line)


def _collect(chunks: Iterator[str], budget: _Budget) -> str:
    """Join the output, counting its UTF-8 bytes and the time as it comes."""
    parts: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk.encode("utf-8", "surrogatepass"))
        if size > budget.max_output:
            raise TemplateLimitError(
                budget.name,
                "output size",
                f"renders more than {budget.max_output} bytes",
            )
        budget.tick()
        parts.append(chunk)
    return "".join(parts)


def _plain(context: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """A copy of the context holding only dictionaries of strings (B.6)."""
    plain: dict[str, dict[str, str]] = {}
    for record, values in context.items():
        if not isinstance(values, Mapping):
            raise ValidationError("context", record, "must map fields to text")
        plain[str(record)] = {str(k): str(v) for k, v in values.items()}
    return plain


# --- the renderer -------------------------------------------------------------------------


class JinjaRenderer:
    """:class:`~relationship_mgmt.ports.delivery.MergeRenderer` with Jinja2's sandbox.

    jinja2 is imported on first use, so a workspace without the ``mailmerge`` extra
    opens; merging then raises :class:`~relationship_mgmt.errors.MissingOptionalDependencyError`.

    Args:
        max_source_bytes: The largest template source (UTF-8 bytes).
        max_output_bytes: The largest output (UTF-8 bytes); 1 MiB by default.
        time_budget: Seconds one render may take.
        isolation: ``"none"`` renders in this process with the cooperative time
            check; ``"process"`` renders in a worker process that is killed when
            the time is up (for untrusted templates). Close the renderer (or use it
            in ``with``) to stop the worker.
        memory_limit_bytes: The worker's address-space cap (``"process"`` only,
            where the platform has ``resource.RLIMIT_AS``).

    Raises:
        ValidationError: A cap that is not a positive number, or an unknown
            isolation.

    >>> JinjaRenderer().render("{{ segment.no }}", {"segment": {"no": "SM01"}}, name="t")
    'SM01'
    """

    def __init__(
        self,
        *,
        max_source_bytes: int = DEFAULT_MAX_SOURCE_BYTES,
        max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
        time_budget: float = DEFAULT_TIME_BUDGET,
        isolation: Literal["none", "process"] = "none",
        memory_limit_bytes: int = DEFAULT_MEMORY_LIMIT_BYTES,
    ) -> None:
        caps: tuple[tuple[str, object], ...] = (
            ("max_source_bytes", max_source_bytes),
            ("max_output_bytes", max_output_bytes),
            ("time_budget", time_budget),
            ("memory_limit_bytes", memory_limit_bytes),
        )
        for field, value in caps:
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or value <= 0
            ):
                raise ValidationError(field, value, "must be a positive number")
        if isolation not in {"none", "process"}:
            raise ValidationError("isolation", isolation, "must be 'none' or 'process'")
        self.max_source_bytes = max_source_bytes
        self.max_output_bytes = max_output_bytes
        self.time_budget = float(time_budget)
        self.isolation = isolation
        self.memory_limit_bytes = memory_limit_bytes
        self._environments: dict[
            bool, jinja2.sandbox.ImmutableSandboxedEnvironment
        ] = {}
        self._templates: dict[tuple[bool, str], jinja2.Template] = {}
        self._lock = threading.Lock()
        self._process: _Worker | None = None
        self._finalizer: weakref.finalize[[], JinjaRenderer] | None = None

    # --- the port ---

    def check(
        self, source: str, *, name: str, fields: Mapping[str, Collection[str]]
    ) -> None:
        """Check a template: size, syntax, includes, ``_`` attributes, merge fields.

        Raises:
            TemplateError: A syntax error, or a record or field outside ``fields``.
            TemplateSecurityError: An include, import or extends, or an attribute
                starting with ``_``.
            TemplateLimitError: The source is over ``max_source_bytes``.
            MissingOptionalDependencyError: jinja2 is not installed.
        """
        self._check_size(source, name)
        env = self._environment(html=False)
        try:
            ast = env.parse(source)
        except Exception as error:
            raise _translate(error, name) from error
        _static_checks(ast, name, fields)

    def render(
        self,
        source: str,
        context: Mapping[str, Mapping[str, str]],
        *,
        name: str,
        html: bool = False,
    ) -> str:
        """Render ``source`` with ``context``; ``html`` escapes the values.

        Raises:
            TemplateError: Any fault while rendering, Jinja2's exception as cause.
            TemplateSecurityError: The sandbox refused an operation.
            TemplateLimitError: The source, the output or the time went past a cap.
            MissingOptionalDependencyError: jinja2 is not installed.
        """
        plain = _plain(context)
        if self.isolation == "process":
            return self._render_isolated(source, plain, name=name, html=html)
        return self._render_here(source, plain, name=name, html=html)

    # --- in this process ---

    def _check_size(self, source: str, name: str) -> None:
        if not isinstance(source, str):
            raise ValidationError("source", None, "must be text")
        size = len(source.encode("utf-8", "surrogatepass"))
        if size > self.max_source_bytes:
            raise TemplateLimitError(
                name,
                "source size",
                f"is {size} bytes, over the cap of {self.max_source_bytes}",
            )

    def _environment(
        self, *, html: bool
    ) -> jinja2.sandbox.ImmutableSandboxedEnvironment:
        env = self._environments.get(html)
        if env is None:
            env = self._environments[html] = _new_environment(html=html)
        return env

    def _template(self, source: str, name: str, *, html: bool) -> jinja2.Template:
        key = (html, source)
        template = self._templates.get(key)
        if template is None:
            env = self._environment(html=html)
            try:
                ast = env.parse(source)
                _static_checks(ast, name, None)
                code = env.compile(ast)
            except RelationshipMgmtError:
                raise
            except Exception as error:
                raise _translate(error, name) from error
            template = env.template_class.from_code(env, code, env.make_globals(None))
            with self._lock:
                if len(self._templates) >= _CACHE_SIZE:
                    self._templates.clear()
                self._templates[key] = template
        return template

    def _render_here(
        self, source: str, context: dict[str, dict[str, str]], *, name: str, html: bool
    ) -> str:
        self._check_size(source, name)
        template = self._template(source, name, html=html)
        budget = _Budget(name, self.time_budget, self.max_output_bytes)
        token = _BUDGET.set(budget)
        try:
            return _collect(template.generate(context), budget)
        except RelationshipMgmtError:
            raise
        except Exception as error:
            raise _translate(error, name) from error
        finally:
            _BUDGET.reset(token)

    # --- in a worker process ---

    def _render_isolated(
        self, source: str, context: dict[str, dict[str, str]], *, name: str, html: bool
    ) -> str:
        self._check_size(source, name)
        request = {
            "settings": self._settings(),
            "source": source,
            "context": context,
            "name": name,
            "html": html,
        }
        with self._lock:  # one job at a time per worker
            worker = self._worker()
            answer = worker.ask(request, timeout=self.time_budget + _GRACE)
            if answer is None:  # stuck or dead: kill it, a new one starts next time
                self._stop_worker()
                raise TemplateLimitError(
                    name, "time", f"took longer than {self.time_budget:g} s to render"
                )
        return _answer(answer, name)

    def _settings(self) -> dict[str, Any]:
        return {
            "max_source_bytes": self.max_source_bytes,
            "max_output_bytes": self.max_output_bytes,
            "time_budget": self.time_budget,
        }

    def _worker(self) -> _Worker:
        if self._process is None:
            self._process = _Worker(self.memory_limit_bytes)
            self._finalizer = weakref.finalize(self, self._process.stop)
        return self._process

    def _stop_worker(self) -> None:
        worker, self._process = self._process, None
        finalizer, self._finalizer = self._finalizer, None
        if finalizer is not None:
            finalizer.detach()
        if worker is not None:
            worker.stop()

    def close(self) -> None:
        """Stop the worker process, if one runs. Safe to call twice."""
        with self._lock:
            self._stop_worker()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _answer(answer: dict[str, Any], name: str) -> str:
    """The worker's answer: the text, or the library error it reported."""
    if "text" in answer:
        return str(answer["text"])
    error = answer.get("error", {})
    kind = error.get("kind")
    template, reason, line = name, str(error.get("reason", "failed")), error.get("line")
    if kind == "TemplateLimitError":
        raise TemplateLimitError(template, str(error.get("limit", "")), reason, line)
    if kind == "TemplateSecurityError":
        raise TemplateSecurityError(template, reason, line)
    raise TemplateError(template, reason, line)


class _Worker:
    """A ``python -m relationship_mgmt.adapters.mailmerge`` process.

    It reads one JSON request per line and answers with one JSON line.

    A thread reads the answers, so a stuck render is noticed by a timeout on any
    platform; the worker caps its own address space (POSIX ``RLIMIT_AS``).
    """

    def __init__(self, memory_limit: int) -> None:
        package_parent = str(Path(__file__).resolve().parents[2])
        path = os.environ.get("PYTHONPATH", "")
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(p for p in (package_parent, path) if p),
        }
        self._process = subprocess.Popen(  # noqa: S603 - our own module, no shell
            [sys.executable, "-m", __name__, str(memory_limit)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self._answers: queue.Queue[bytes] = queue.Queue()
        threading.Thread(
            target=_read_lines,
            args=(self._process.stdout, self._answers),
            daemon=True,
            name="relationship_mgmt-merge-worker",
        ).start()
        ready = self._wait(_STARTUP_SECONDS)
        if ready != {"ready": True}:
            self.stop()
            raise TemplateError("mail-merge worker", "the worker process did not start")

    def _wait(self, timeout: float) -> dict[str, Any] | None:
        try:
            line = self._answers.get(timeout=timeout)
        except queue.Empty:
            return None
        if not line:
            return None  # the worker died
        answer: dict[str, Any] = json.loads(line)
        return answer

    def ask(self, request: dict[str, Any], *, timeout: float) -> dict[str, Any] | None:
        stdin = self._process.stdin
        assert stdin is not None  # noqa: S101 - created with PIPE
        try:
            stdin.write(json.dumps(request).encode() + b"\n")
            stdin.flush()
        except OSError:
            return None
        return self._wait(timeout)

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None:
                pipe.close()


def _read_lines(stream: IO[bytes] | None, answers: queue.Queue[bytes]) -> None:
    if stream is None:
        return
    try:
        for line in stream:
            answers.put(line)
    except (OSError, ValueError):  # closed under us
        pass
    answers.put(b"")  # end of the worker


def _serve(memory_limit: int) -> None:
    """The worker's loop (``python -m relationship_mgmt.adapters.mailmerge LIMIT``)."""
    try:
        import resource  # noqa: PLC0415 - POSIX only

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, hard))
    except (ImportError, ValueError, OSError):  # pragma: no cover - platform
        pass
    _environment_class()
    out = sys.stdout
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    renderers: dict[str, JinjaRenderer] = {}
    for line in sys.stdin:
        request = json.loads(line)
        key = json.dumps(request["settings"], sort_keys=True)
        renderer = renderers.get(key)
        if renderer is None:
            renderer = renderers[key] = JinjaRenderer(**request["settings"])
        try:
            answer: dict[str, Any] = {
                "text": renderer.render(
                    request["source"],
                    request["context"],
                    name=request["name"],
                    html=request["html"],
                )
            }
        except MemoryError:
            answer = {
                "error": {"kind": "TemplateLimitError", "limit": "memory",
                          "reason": "ran out of memory"}
            }  # fmt: skip
        except TemplateError as error:
            answer = {
                "error": {
                    "kind": type(error).__name__,
                    "reason": error.reason,
                    "line": error.line,
                    "limit": getattr(error, "limit", ""),
                }
            }
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":  # pragma: no cover - runs in the worker process
    _serve(int(sys.argv[1]))
