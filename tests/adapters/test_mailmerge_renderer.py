"""JinjaRenderer: the sandbox, the merge-field check and the caps (reliability.md B.6)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator

import jinja2
import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relationship_mgmt.adapters import mailmerge
from relationship_mgmt.adapters.mailmerge import JinjaRenderer
from relationship_mgmt.domain.mailmerge import MERGE_FIELDS
from relationship_mgmt.errors import (
    MissingOptionalDependencyError,
    RelationshipMgmtError,
    TemplateError,
    TemplateLimitError,
    TemplateSecurityError,
    ValidationError,
)

CONTEXT = {
    "contact": {"name": "Ann Smith", "first_name": "Ann", "email": "ann@example.com"},
    "salesperson": {"name": "Jo"},
}

# Server-side template injection payloads (reliability.md B.7 #10): each must be
# refused by the sandbox, never rendered.
ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ contact.__class__ }}",
    "{{ contact['__class__'] }}",
    "{{ contact.__init__.__globals__ }}",
    "{{ range.__globals__ }}",
    "{{ dict.__base__.__subclasses__() }}",
    "{{ self.__init__.__globals__.__builtins__ }}",
    "{{ '{0.__class__}'.format(contact) }}",
    "{{ '{0.__class__.__mro__}'.format('') }}",
    "{{ ''|attr('__class__') }}",
    "{{ (contact|attr('__class__')).__mro__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{% set l = [1] %}{{ l.append(2) }}",
    "{% set d = {} %}{{ d.update(a=1) }}",
    "{% set d = {} %}{{ d.__setitem__('a', 1) }}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{% from 'x' import y %}",
    "{% extends 'base.html' %}",
    "{{ config }}",
    "{{ request.application.__globals__ }}",
    "{{ namespace.__init__ }}",
]


@pytest.fixture
def renderer() -> JinjaRenderer:
    return JinjaRenderer()


@pytest.mark.parametrize("source", ESCAPES)
def test_sandbox_escapes_are_refused(renderer: JinjaRenderer, source: str) -> None:
    """B.6: the render never lets a template reach Python."""
    with pytest.raises(TemplateError) as info:
        renderer.render(source, CONTEXT, name="evil")

    assert info.value.template == "evil"
    assert not isinstance(info.value, jinja2.TemplateError)


@pytest.mark.parametrize(
    "source",
    [
        s
        for s in ESCAPES
        if "format" not in s and "set l" not in s and "set d = {} %}{{ d.u" not in s
    ],
)
def test_the_check_refuses_what_it_can_see(
    renderer: JinjaRenderer, source: str
) -> None:
    """Escapes visible in the template's tree are refused before any render."""
    with pytest.raises(TemplateError) as info:
        renderer.check(source, name="evil", fields=MERGE_FIELDS)

    assert info.value.template == "evil"


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{% include 'x' %}",
        "{% set l = [1] %}{{ l.append(2) }}",
        "{{ '{0.__class__}'.format(contact) }}",
    ],
)
def test_the_sandbox_raises_its_own_security_error(
    renderer: JinjaRenderer, source: str
) -> None:
    with pytest.raises(TemplateSecurityError):
        renderer.render(source, CONTEXT, name="evil")


def test_check_refuses_unknown_records_and_fields_before_rendering(
    renderer: JinjaRenderer,
) -> None:
    """Pre-render validation against the merge-field catalogue (B.6)."""
    with pytest.raises(TemplateError) as record:
        renderer.check("Hi {{ customer.name }}", name="t", fields=MERGE_FIELDS)
    with pytest.raises(TemplateError) as field:
        renderer.check("Hi\n{{ contact['shoe_size'] }}", name="t", fields=MERGE_FIELDS)
    with pytest.raises(TemplateError):
        renderer.check("{{ contact.items() }}", name="t", fields=MERGE_FIELDS)

    assert "customer" in record.value.reason
    assert field.value.reason == "unknown merge field contact.shoe_size"
    assert field.value.line == 2


def test_check_accepts_what_the_catalogue_has(renderer: JinjaRenderer) -> None:
    source = (
        "{% set greeting = contact.salutation or 'Dear ' ~ contact.name %}"
        "{{ greeting }} {% for part in contact.name.split() %}{{ part|upper }}"
        "{% endfor %}{% if campaign.no %}{{ campaign['description'] }}{% endif %}"
        "{{ interaction.date }} {{ segment.subject|default('x') }}"
    )

    renderer.check(source, name="t", fields=MERGE_FIELDS)


def test_a_missing_value_is_an_error_not_an_empty_string(
    renderer: JinjaRenderer,
) -> None:
    """StrictUndefined: a merge field without a value fails the merge."""
    with pytest.raises(TemplateError) as info:
        renderer.render("Hi\n{{ contact.surname }}", CONTEXT, name="letter")

    assert info.value.template == "letter"
    assert info.value.line == 2
    assert "surname" in info.value.reason
    assert isinstance(info.value.__cause__, jinja2.UndefinedError)


def test_syntax_errors_name_the_line(renderer: JinjaRenderer) -> None:
    for call in (
        lambda: renderer.check("a\n{% if %}", name="t", fields=MERGE_FIELDS),
        lambda: renderer.render("a\n{% if %}", CONTEXT, name="t"),
    ):
        with pytest.raises(TemplateError) as info:
            call()
        assert info.value.line == 2
        assert info.value.reason.startswith("syntax error")


def test_html_is_autoescaped_and_text_is_not(renderer: JinjaRenderer) -> None:
    context = {"contact": {"name": "<script>alert('x')</script> & Co"}}
    source = "<p>{{ contact.name }}</p>"

    html = renderer.render(source, context, name="t", html=True)
    text = renderer.render(source, context, name="t")

    assert html == ("<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co</p>")
    assert text == "<p><script>alert('x')</script> & Co</p>"


def test_the_source_size_is_capped() -> None:
    small = JinjaRenderer(max_source_bytes=10)

    with pytest.raises(TemplateLimitError) as info:
        small.render("é" * 6, {}, name="t")  # 12 bytes of UTF-8
    with pytest.raises(TemplateLimitError):
        small.check("x" * 11, name="t", fields=MERGE_FIELDS)

    assert info.value.limit == "source size"
    assert small.render("x" * 10, {}, name="t") == "x" * 10


@pytest.mark.parametrize(
    "source",
    [
        "{% for i in range(20000) %}{{ 'x' * 100 }}{% endfor %}",
        "{{ 'x' * 2000000 }}",
        "{{ 'x'|center(2000000) }}",
        "{{ 'x'.ljust(2000000) }}",
        "{{ '%2000000s' % 'x' }}",
        "{{ '{:2000000}'.format('x') }}",
        "{{ '%2000000s'|format('x') }}",
        "{{ 9 ** 9999999 }}",
        "{% set a = contact.name %}" + "{% set a = a ~ a %}" * 20 + "{{ a|length }}",
        "{% set a = contact.name %}" + "{% set a = a + a %}" * 20 + "{{ a|length }}",
        "{% set b %}{{ contact.name }}{% endset %}"
        + "{% set b %}{{ b }}{{ b }}{% endset %}" * 20,
        "{% macro m(x) %}{{ x }}{{ x }}{% endmacro %}{% set y = contact.name %}"
        + "{% set y = m(y) %}" * 20,
    ],
)
def test_the_output_is_capped_at_one_mib(renderer: JinjaRenderer, source: str) -> None:
    """B.6: the render-output cap, also on the values a template builds."""
    started = time.monotonic()

    with pytest.raises(TemplateLimitError) as info:
        renderer.render(source, CONTEXT, name="big")

    assert info.value.limit == "output size"
    assert time.monotonic() - started < 1.5


def test_output_up_to_the_cap_is_fine() -> None:
    small = JinjaRenderer(max_output_bytes=100)

    assert small.render("{{ 'x' * 100 }}", {}, name="t") == "x" * 100
    with pytest.raises(TemplateLimitError):
        small.render("{{ 'x' * 100 }}é", {}, name="t")


def test_the_time_is_capped_in_process() -> None:
    quick = JinjaRenderer(time_budget=0.3)
    source = (
        "{% for i in range(100000) %}{% for j in range(100000) %}"
        "{% endfor %}{% endfor %}"
    )
    started = time.monotonic()

    with pytest.raises(TemplateLimitError) as info:
        quick.render(source, {}, name="slow")

    assert info.value.limit == "time"
    assert time.monotonic() - started < 2


def test_a_huge_range_is_refused(renderer: JinjaRenderer) -> None:
    with pytest.raises(TemplateLimitError):
        renderer.render("{{ range(10 ** 7)|list }}", {}, name="t")


@pytest.mark.parametrize(
    "source",
    [
        "{{ 1 / 0 }}",
        "{{ contact.name + 1 }}",
        "{{ contact.name.split(1) }}",
        "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
        "{{ '{0' .format(1) }}",
        "{{ dict(**contact).bad }}",
    ],
)
def test_any_fault_is_a_template_error(renderer: JinjaRenderer, source: str) -> None:
    """Never a raw Jinja2 (or Python) exception out of a render."""
    with pytest.raises(TemplateError) as info:
        renderer.render(source, CONTEXT, name="t")

    assert info.value.template == "t"


def test_deterministic_helpers_only(renderer: JinjaRenderer) -> None:
    """No random, lipsum, cycler or joiner: a merge renders the same every time."""
    for source in ("{{ [1, 2]|random }}", "{{ lipsum() }}", "{{ joiner() }}"):
        with pytest.raises(TemplateError):
            renderer.render(source, {}, name="t")


def test_the_context_must_hold_mappings(renderer: JinjaRenderer) -> None:
    with pytest.raises(ValidationError):
        renderer.render("x", {"contact": "Ann"}, name="t")  # type: ignore[dict-item]


@pytest.mark.parametrize(
    "options",
    [
        {"max_source_bytes": 0},
        {"max_output_bytes": -1},
        {"time_budget": 0},
        {"max_source_bytes": True},
        {"isolation": "thread"},
    ],
)
def test_bad_settings_are_refused(options: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        JinjaRenderer(**options)  # type: ignore[arg-type]


@pytest.fixture
def without_jinja2(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    mailmerge._environment_class.cache_clear()
    monkeypatch.setitem(sys.modules, "jinja2.compiler", None)
    yield
    mailmerge._environment_class.cache_clear()


@pytest.mark.usefixtures("without_jinja2")
def test_without_the_extra_a_merge_names_it() -> None:
    with pytest.raises(MissingOptionalDependencyError) as info:
        JinjaRenderer().render("x", {}, name="t")

    assert info.value.extra == "mailmerge"


def test_isolated_rendering_kills_a_runaway_template() -> None:
    """isolation="process": a loop the in-process checks cannot see is killed."""
    runaway = (
        "{% set x = [1] * 1000 %}{% for a in x %}{% for b in x %}{% for c in x %}"
        "{% endfor %}{% endfor %}{% endfor %}"
    )
    with JinjaRenderer(isolation="process", time_budget=0.5) as isolated:
        assert isolated.render("Hi {{ contact.first_name }}", CONTEXT, name="t") == (
            "Hi Ann"
        )
        started = time.monotonic()
        with pytest.raises(TemplateLimitError) as info:
            isolated.render(runaway, CONTEXT, name="runaway")
        assert info.value.limit == "time"
        assert time.monotonic() - started < 5
        with pytest.raises(TemplateSecurityError):
            isolated.render("{{ ''.__class__ }}", CONTEXT, name="evil")
        with pytest.raises(TemplateError) as missing:
            isolated.render("{{ contact.nope }}", CONTEXT, name="t")
        assert missing.value.line == 1
        assert isolated.render(
            "<b>{{ contact.name }}</b>", CONTEXT, name="t", html=True
        )


_FIELD_REFS = st.sampled_from(
    [
        "{{ contact.name }}",
        "{{ contact.first_name|upper }}",
        "{{ salesperson.name ~ '!' }}",
        "{% if contact.email %}{{ contact.email }}{% endif %}",
        "{{ contact.name|length }}",
        "{{ '%s' % contact.name }}",
    ]
)


@given(
    name=st.text(max_size=200),
    literal=st.text(alphabet=st.characters(blacklist_characters="{}%#\r"), max_size=50),
    ref=_FIELD_REFS,
    html=st.booleans(),
)
def test_any_text_renders_without_raising_or_escaping(
    name: str, literal: str, ref: str, *, html: bool
) -> None:
    """Any field value renders; values never turn into markup or template code."""
    context = {
        "contact": {"name": name, "first_name": name, "email": name},
        "salesperson": {"name": name},
    }
    source = f"{literal}{{{{ contact.name }}}}|{ref}"
    renderer = _SHARED

    renderer.check(source, name="t", fields=MERGE_FIELDS)
    out = renderer.render(source, context, name="t", html=html)

    shown = markupsafe.escape(name) if html else name
    assert out.startswith(literal + str(shown) + "|")


_SHARED = JinjaRenderer()


@given(st.text(max_size=80))
def test_any_template_text_renders_or_fails_with_a_library_error(source: str) -> None:
    """B.5 #5: either a result or a RelationshipMgmtError, nothing else escapes."""
    try:
        _SHARED.check(source, name="fuzz", fields=MERGE_FIELDS)
        _SHARED.render(source, CONTEXT, name="fuzz")
    except RelationshipMgmtError:
        pass
