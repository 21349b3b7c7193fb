"""The certificate PDF (fpdf2) with its verification link and QR code (segno).

Only the core fonts are used (Helvetica, Latin-1): text outside Latin-1 is replaced, never an error.
"""

import io
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from reports.periods import program_zone
from teaching.models import Endorsement


def _latin1(text: str) -> str:
    return text.replace("\u2013", "-").replace("\u2014", "-").encode("latin-1", "replace").decode("latin-1")


def certificate_lines(endorsement: Endorsement) -> list[tuple[str, str]]:
    """The figures the certificate states, as (label, value): the PDF and the verification page show these."""
    hours = endorsement.verified_hours.normalize()
    return [
        ("Mentor", endorsement.mentor.display_name),
        ("Program", settings.PROGRAM_NAME),
        ("Term", f"{endorsement.term_name} ({endorsement.first_day:%d %b %Y} - {endorsement.last_day:%d %b %Y})"),
        ("Subjects", endorsement.subjects or "-"),
        ("Verified teaching hours", f"{hours:f}"),
        ("Sessions held", str(endorsement.sessions_held)),
        ("Mentees taught", str(endorsement.unique_mentees)),
        ("One-to-one mentees", str(endorsement.one_to_one_mentees)),
        ("Endorsed by", endorsed_by_name(endorsement)),
        ("Endorsed on", endorsed_on(endorsement.endorsed_at)),
    ]


def endorsed_by_name(endorsement: Endorsement) -> str:
    admin = endorsement.endorsed_by
    return admin.display_name if admin is not None else f"the {settings.PROGRAM_NAME} office"


def endorsed_on(when: datetime) -> str:
    return f"{timezone.localtime(when, program_zone()):%d %B %Y}"


def render_certificate(*, endorsement: Endorsement, verify_url: str) -> bytes:
    from fpdf import FPDF  # here: fpdf2 (with Pillow and fontTools) is ~60 MiB in every web worker

    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(_latin1(f"Teaching certificate - {endorsement.mentor.display_name}"))
    pdf.set_author(_latin1(settings.PROGRAM_NAME))
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 24)
    pdf.cell(0, 14, _latin1("Certificate of Teaching"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 13)
    pdf.cell(0, 8, _latin1(settings.PROGRAM_NAME), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 12)
    for label, value in certificate_lines(endorsement):
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(70, 8, _latin1(f"{label}:"))
        pdf.set_font("Helvetica", "", 12)
        pdf.multi_cell(140, 8, _latin1(value), new_x="LMARGIN", new_y="NEXT")
    if endorsement.note:
        pdf.ln(2)
        pdf.set_font("Helvetica", "I", 11)
        pdf.multi_cell(200, 6, _latin1(f"Note: {endorsement.note}"), new_x="LMARGIN", new_y="NEXT")
    import segno  # with fpdf2: loaded by a certificate, not by every web worker

    qr = io.BytesIO()
    segno.make(verify_url, error="m").save(qr, kind="png", scale=6, border=2)
    qr.seek(0)
    pdf.image(qr, x=230, y=120, w=50, h=50, alt_text="QR code of the verification link")
    pdf.set_xy(10, 180)
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, _latin1("Verify this certificate at:"), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, _latin1(verify_url), link=verify_url, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
