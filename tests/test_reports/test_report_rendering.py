"""The report page rendered cheaply: table cells, chart SVG and the filter selects written in Python
print exactly what the templates printed; the body is cached with the figures and a new exam
import shows at once; each exam is analysed once per page."""

from datetime import date, timedelta

import pytest
from django import forms
from django.http import QueryDict
from django.template import Context, Template
from django.urls import reverse

from reports.charts import ChartPoint, bar_chart, column_chart
from reports.forms import ReportFilterForm
from reports.fragments import shown_table
from reports.tables import Table
from tests.factories import MentorFactory, ProgramAdminFactory
from tests.test_reports.factories import ReviewSeriesFactory
from tests.test_reports.test_exam_effects_report import planted  # noqa: F401  # the fixture

# The markup the page's templates wrote before it was written in Python (reports/_table.html's rows
# and reports/_chart.html's <svg>), kept here as the reference.
TABLE_ROWS = Template(
    '{% for row in table.rows %}<tr>{% for cell in row %}{% if forloop.first %}<th scope="row">{{ cell }}</th>'
    "{% else %}<td>{{ cell }}</td>{% endif %}{% endfor %}</tr>\n{% endfor %}"
)
CHART_SVG = Template("""<svg viewBox="0 0 {{ chart.width }} {{ chart.height }}" role="img" aria-labelledby="{{ chart.key }}-title {{ chart.key }}-desc" preserveAspectRatio="xMinYMin meet">
    <title id="{{ chart.key }}-title">{{ chart.title }}</title>
    <desc id="{{ chart.key }}-desc">{{ chart.summary }}</desc>
    {% if chart.horizontal %}
      {% for line in chart.gridlines %}
        <line class="grid" x1="{{ line.position|stringformat:'.1f' }}" x2="{{ line.position|stringformat:'.1f' }}" y1="6" y2="{{ chart.plot_bottom }}"></line>
        <text class="tick" x="{{ line.position|stringformat:'.1f' }}" y="{{ chart.height|add:'-6' }}" text-anchor="middle">{{ line.label }}</text>
      {% endfor %}
      {% for bar in chart.bars %}
        <text class="label" x="{{ chart.plot_left|add:'-6' }}" y="{{ bar.label_y|stringformat:'.1f' }}" text-anchor="end">{{ bar.label }}</text>
        <rect class="bar" x="{{ bar.x|stringformat:'.1f' }}" y="{{ bar.y|stringformat:'.1f' }}" width="{{ bar.width|stringformat:'.1f' }}" height="{{ bar.height|stringformat:'.1f' }}"><title>{{ bar.label }}: {{ bar.text }}</title></rect>
        <text class="value" x="{{ bar.label_x|stringformat:'.1f' }}" y="{{ bar.label_y|stringformat:'.1f' }}">{{ bar.text }}</text>
      {% endfor %}
    {% else %}
      {% for line in chart.gridlines %}
        <line class="grid" x1="{{ chart.plot_left }}" x2="{{ chart.width }}" y1="{{ line.position|stringformat:'.1f' }}" y2="{{ line.position|stringformat:'.1f' }}"></line>
        <text class="tick" x="{{ chart.plot_left|add:'-5' }}" y="{{ line.position|stringformat:'.1f' }}" dy="5" text-anchor="end">{{ line.label }}</text>
      {% endfor %}
      {% for bar in chart.bars %}
        <rect class="bar" x="{{ bar.x|stringformat:'.1f' }}" y="{{ bar.y|stringformat:'.1f' }}" width="{{ bar.width|stringformat:'.1f' }}" height="{{ bar.height|stringformat:'.1f' }}"><title>{{ bar.label }}: {{ bar.text }}</title></rect>
        {% if bar.show_label %}<text class="tick" x="{{ bar.label_x|stringformat:'.1f' }}" y="{{ bar.label_y|stringformat:'.1f' }}" text-anchor="middle">{{ bar.label }}</text>{% endif %}
      {% endfor %}
    {% endif %}
  </svg>""")  # noqa: E501


def test_table_cells_print_exactly_as_the_template_printed_them():
    rows = [
        ["Sessions held", 0, 7, 1234567, 62.5, 0.1 + 0.2, 0.0, -0.0, 1e-07, 1e20, ""],
        ['<b>Tom & "Jerry"</b>', -0.0, 0.0, 3, 3.0, True, "yes", "'quoted'", -12.25, 100.0, 7],
    ]
    table = Table("t", "T", [f"c{i}" for i in range(11)], rows)

    written = "".join(f"{row}\n" for row in shown_table(table).rows_html)

    assert written == TABLE_ROWS.render(Context({"table": table}))


@pytest.mark.parametrize(
    "chart",
    [
        column_chart(
            "chart-held", "Held & more", [ChartPoint(f"{d.day} {d:%b}", n % 5) for n, d in
                                           enumerate(date(2026, 7, 6) + timedelta(weeks=w) for w in range(26))],
            table_key="trends", table_title="Week by week", unit="%",
        ),
        bar_chart(
            "chart-fill", "Fill rate", [ChartPoint("Anatomy <& physiology> of the head and neck, advanced", 75.5),
                                        ChartPoint("Histology", None), ChartPoint("Renal", 12.0)],
            table_key="fill-rate", table_title="Fill rate by subject", unit="%",
        ),
        bar_chart("chart-empty", "Nothing yet", [], table_key="exams", table_title="Exams"),
    ],
    ids=["columns", "bars", "empty"],
)  # fmt: skip
def test_a_charts_svg_is_exactly_the_markup_the_template_drew(chart):
    assert chart.svg == CHART_SVG.render(Context({"chart": chart}))


def _query(values: dict[str, str]) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update(values)
    return query


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [{}, {"class_year": "2", "bands": "0-6,7-15,16-24"}, {"class_year": "9", "start": "nonsense"}],
    ids=["defaults", "chosen", "errors"],
)
def test_the_filter_selects_are_exactly_the_markup_of_djangos_select_templates(query):
    mentor = MentorFactory(first_name="Ann <&>", last_name="O'Neil")
    ReviewSeriesFactory(mentor=mentor)
    query = {**query, "mentor": str(mentor.pk)}
    written, templated = ReportFilterForm.from_query(_query(query)), ReportFilterForm.from_query(_query(query))
    for field in templated.fields.values():
        if isinstance(field.widget, forms.Select):
            field.widget = forms.Select(attrs=field.widget.attrs, choices=field.widget.choices)

    for name in ("subject", "mentor", "class_year", "bands"):
        assert str(written[name]) == str(templated[name])


@pytest.mark.django_db
def test_a_cached_report_shows_newly_imported_exam_results_at_once(
    admin_client, settings, django_capture_on_commit_callbacks
):
    from reports.services import confirm_exam_import, upload_exam_file
    from tests.factories import MenteeFactory

    settings.REPORT_CACHE_SECONDS = 60
    january = {"start": "2026-01-01", "end": "2026-01-31"}
    assert "No exam results for these dates." in admin_client.get(reverse("reports:report"), january).content.decode()
    MenteeFactory(email="ann@school.edu")
    upload, _ = upload_exam_file(
        uploaded_by=ProgramAdminFactory(), filename="x.csv",
        raw=b"email,exam,date,score\nann@school.edu,Block 1,2026-01-10,81\n",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        confirm_exam_import(exam_import=upload)

    page = admin_client.get(reverse("reports:report"), january).content.decode()

    assert "No exam results for these dates." not in page and 'id="exam-effect-1">Block 1' in page


@pytest.mark.django_db
def test_a_repeated_view_serves_the_body_from_the_cache_without_rendering_it(admin_client, settings):
    settings.REPORT_CACHE_SECONDS = 60
    first = admin_client.get(reverse("reports:report"))

    again = admin_client.get(reverse("reports:report"))

    assert "reports/_report_body.html" in [t.name for t in first.templates]
    assert "reports/_report_body.html" not in [t.name for t in again.templates]
    assert again.content.decode().count('id="summary"') == 1


@pytest.mark.django_db
def test_the_headline_and_the_exam_sections_analyse_each_exam_once(client, planted, monkeypatch):  # noqa: F811
    from reports.selectors import impact

    analysed: list[str] = []
    real = impact._analyse_exam

    def counted(exam, bands, f):
        analysed.append(exam.name)
        return real(exam, bands, f)

    monkeypatch.setattr(impact, "_analyse_exam", counted)
    client.force_login(ProgramAdminFactory())

    page = client.get(reverse("reports:report"), {"start": "2026-03-01", "end": "2026-03-31"}).content.decode()

    assert "Exam effect, Block 2" in page  # the headline, from the section's analysis
    assert sorted(analysed) == ["Block 1", "Block 2"]  # Block 1: the previous period's headline
