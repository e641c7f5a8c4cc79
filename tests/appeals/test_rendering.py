"""Appeals rendered to PDF, read back as a reader would: text, metadata, pages."""

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from appeals import jobs
from appeals.models import AppealVersion, RenderJob
from appeals.rendering import AppealNotRenderable, printable_appeal, render_pdf
from tests.factories import AddresseeFactory, AppealFactory

pytestmark = pytest.mark.django_db

RUSSIAN = {
    "title": "Кыргызстан: сорвано собрание Коалиции против пыток",
    "summary": "23 мая 2019 года члены националистического движения сорвали встречу в Бишкеке.",
    "actions_requested": "Обеспечить безопасность членов Коалиции\nРасследовать нападение",
}
ARABIC = {
    "title": "قيرغيزستان: تعطيل اجتماع التحالف ضد التعذيب",
    "summary": "في 23 مايو 2019 عطلت مجموعة قومية اجتماعا في بيشكيك.",
    "actions_requested": "ضمان سلامة أعضاء التحالف",
}


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def squeeze(text: str) -> str:
    """Arabic comes out of PDFs in presentation forms and spaced letters: compare bare."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e]", "", text)


def test_french_appeal_carries_reference_title_and_sections_on_every_page():
    appeal = AppealFactory(published=True, text={"situation": "Paragraphe. " * 900})
    printable = printable_appeal(appeal, "fr")
    rendered = render_pdf(printable)

    reader = PdfReader(io.BytesIO(rendered.content))
    assert rendered.page_count == len(reader.pages) >= 2
    text = pdf_text(rendered.content)
    assert "Kirghizistan : réunion de la Coalition contre la torture perturbée" in text
    for page in reader.pages:
        page_text = page.extract_text()
        assert appeal.reference in page_text
        assert re.search(
            rf"\b{reader.get_page_number(page) + 1}\b.*\b{len(reader.pages)}\b", page_text
        )
    assert "Garantir la sécurité des membres de la Coalition" in text
    assert reader.metadata.title.startswith(appeal.reference)
    assert reader.metadata.author
    assert reader.metadata.creation_date is not None
    assert reader.trailer["/Root"]["/Lang"] == "fr"


def test_russian_appeal_renders_cyrillic_text():
    appeal = AppealFactory(
        published=True, original_language="ru", text={**RUSSIAN, "language": "ru"}
    )
    rendered = render_pdf(printable_appeal(appeal, "ru"))

    text = pdf_text(rendered.content)
    # What was entered comes out as written, line by line.
    for entered in RUSSIAN.values():
        for line in entered.splitlines():
            assert line in text, line
    # The printed labels are Russian too: no English left on the page.
    for label in ("СРОЧНОЕ ОБРАЩЕНИЕ", "Номер", "Краткое описание", "Страница 1 из"):
        assert label in text, label
    for english in ("URGENT APPEAL", "Reference", "Summary", "Page 1"):
        assert english not in text, english
    reader = PdfReader(io.BytesIO(rendered.content))
    assert reader.trailer["/Root"]["/Lang"] == "ru"


def test_arabic_appeal_is_right_to_left_with_arabic_glyphs():
    appeal = AppealFactory(
        published=True, original_language="ar", text={**ARABIC, "language": "ar"}
    )
    printable = printable_appeal(appeal, "ar")
    assert 'dir="rtl"' in printable.html
    rendered = render_pdf(printable)

    reader = PdfReader(io.BytesIO(rendered.content))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Casefile-Arabic" in name for name in fonts), fonts
    text = squeeze(pdf_text(rendered.content))
    # Every word entered comes out as written (compared without spacing and shaping forms;
    # runs of Arabic and Latin may come out in visual order, so word by word).
    for entered in ARABIC.values():
        for word in entered.replace(":", " ").replace(".", " ").split():
            assert squeeze(word) in text, word
    assert squeeze("تعطيل اجتماع التحالف ضد التعذيب") in text  # a run of words, in order
    assert appeal.reference.replace(" ", "") in text
    # The printed labels are Arabic too.
    for label in ("نداء عاجل", "الرقم المرجعي", "ملخص"):
        assert squeeze(label) in text, label
    assert "Summary" not in text and "Reference" not in text


def test_staff_text_cannot_inject_markup():
    appeal = AppealFactory(
        text={
            "summary": '<img src="http://127.0.0.1:1/x"><script>alert(1)</script>',
            "title": '</title><link rel="attachment" href="file:///etc/passwd">',
        }
    )
    printable = printable_appeal(appeal, "fr")
    assert "<script>" not in printable.html
    assert '<img src="http' not in printable.html
    assert '<link rel="attachment" href="file' not in printable.html
    rendered = render_pdf(printable)
    assert rendered.refused == []
    assert "<script>alert(1)</script>" in pdf_text(rendered.content)


def test_addressees_print_in_their_order():
    appeal = AppealFactory()
    first, second = AddresseeFactory(name="Sadyr Japarov"), AddresseeFactory(name="Ulan Niyazbekov")
    appeal.addressee_links.create(addressee=second, position=2)
    appeal.addressee_links.create(addressee=first, position=1)
    text = pdf_text(render_pdf(printable_appeal(appeal, "fr")).content)
    assert text.index("Sadyr Japarov") < text.index("Ulan Niyazbekov")


def test_a_language_without_text_cannot_render():
    appeal = AppealFactory()
    with pytest.raises(AppealNotRenderable, match="no text"):
        printable_appeal(appeal, "ru")


def render(**kwargs):
    """Queue a render and run it as the commit would (tasks are in-process in these tests)."""
    from django.test import TestCase

    from appeals.services import appeal_request_render

    with TestCase.captureOnCommitCallbacks(execute=True):
        return appeal_request_render(**kwargs)


def test_render_job_stores_a_hashed_ready_version_and_skips_unchanged_content(reviewer):
    appeal = AppealFactory(published=True)
    job = render(actor=reviewer, appeal=appeal, language="fr")
    job.refresh_from_db()
    assert job.state == RenderJob.State.READY, job.error
    version = job.version
    import hashlib

    with version.open() as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == version.sha256
    assert version.number == 1 and version.page_count >= 1 and version.size > 1000

    again = render(actor=reviewer, appeal=appeal, language="fr")
    again.refresh_from_db()
    assert again.state == RenderJob.State.READY and again.version == version

    text = appeal.texts.get()
    text.summary = "Nouvelle information : la police a ouvert une enquête."
    text.save()
    changed = render(actor=reviewer, appeal=appeal, language="fr")
    changed.refresh_from_db()
    assert changed.version.number == 2
    assert AppealVersion.objects.ready().filter(appeal=appeal).count() == 2


def test_an_oversized_section_fails_the_job_with_a_readable_message(reviewer):
    appeal = AppealFactory()
    appeal.texts.update(background="x" * 20_001)
    job = render(actor=reviewer, appeal=appeal, language="fr")
    job.refresh_from_db()
    assert job.state == RenderJob.State.FAILED
    assert "longer than 20000 characters" in job.error
    assert not AppealVersion.objects.filter(appeal=appeal).exists()


def test_a_job_is_claimed_once_and_attempts_are_capped(settings, reviewer):
    appeal = AppealFactory()
    job = RenderJob.objects.create(appeal=appeal, language="fr")
    assert jobs.claim(job.pk) is not None
    assert jobs.claim(job.pk) is None  # delivered twice: the second does nothing

    RenderJob.objects.filter(pk=job.pk).update(
        state=RenderJob.State.QUEUED, attempts=settings.APPEAL_RENDER_MAX_ATTEMPTS
    )
    assert jobs.run(job.pk) == "not claimed"
    job.refresh_from_db()
    assert job.state == RenderJob.State.FAILED
    assert "The render failed 3 times" in job.error


def test_the_sweeper_requeues_a_render_whose_worker_died_and_gives_up_after_the_cap(settings):
    import datetime

    from django.utils import timezone

    appeal = AppealFactory()
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.APPEAL_RENDER_STALE_AFTER + 5)
    died_once = RenderJob.objects.create(
        appeal=appeal, language="fr", state="rendering", attempts=1, started_at=long_ago
    )
    other = AppealFactory()
    died_thrice = RenderJob.objects.create(
        appeal=other, language="fr", state="rendering", attempts=3, started_at=long_ago
    )
    busy = RenderJob.objects.create(
        appeal=AppealFactory(),
        language="fr",
        state="rendering",
        attempts=1,
        started_at=timezone.now(),
    )

    assert jobs.sweep() == [died_once.pk]
    died_once.refresh_from_db()
    died_thrice.refresh_from_db()
    busy.refresh_from_db()
    assert died_once.state == "queued"
    assert died_thrice.state == "failed"
    assert "The render process stopped unexpectedly (attempt 3 of 3)" in died_thrice.error
    assert busy.state == "rendering"


def test_files_of_attempts_that_died_are_removed_and_versions_kept(settings):
    import datetime

    from django.core.files.base import ContentFile
    from django.core.files.storage import storages
    from django.utils import timezone

    storage = storages["appeals"]
    appeal = AppealFactory()
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.APPEAL_RENDER_STALE_AFTER + 5)
    job = RenderJob.objects.create(
        appeal=appeal, language="fr", state="rendering", attempts=1, started_at=long_ago
    )
    # What a worker killed between storing its PDF and recording the version leaves behind,
    # next to a version of an earlier job and another job's file whose id starts alike.
    orphan = storage.save(f"{appeal.pk}/fr/job{job.pk}-1.pdf", ContentFile(b"%PDF-1.7 orphan"))
    kept = storage.save(f"{appeal.pk}/fr/job{job.pk}0-1.pdf", ContentFile(b"%PDF-1.7 other"))
    AppealVersion.objects.create(
        appeal=appeal, language="fr", number=1, file_name=kept, content_hash="x" * 64
    )

    assert jobs.sweep() == [job.pk]
    assert not storage.exists(orphan)
    assert storage.exists(kept)

    # The presumed-dead attempt was only slow and stores its file late: the next claim
    # removes it.
    late = storage.save(f"{appeal.pk}/fr/job{job.pk}-1.pdf", ContentFile(b"%PDF-1.7 late"))
    assert jobs.claim(job.pk).attempts == 2
    assert not storage.exists(late)

    # The last attempt is killed after storing: its failure removes what the job left.
    RenderJob.objects.filter(pk=job.pk).update(state="rendering", attempts=3, started_at=long_ago)
    second = storage.save(f"{appeal.pk}/fr/job{job.pk}-3.pdf", ContentFile(b"%PDF-1.7 third"))
    assert jobs.sweep() == []
    job.refresh_from_db()
    assert job.state == "failed"
    assert "stopped unexpectedly (attempt 3 of 3)" in job.error
    assert not storage.exists(second)
    assert storage.listdir(f"{appeal.pk}/fr")[1] == [kept.rsplit("/", 1)[1]]


def test_a_render_killed_at_the_hard_time_limit_fails_as_too_slow(settings):
    from celery.exceptions import TimeLimitExceeded

    from appeals.tasks import render_appeal

    job = RenderJob.objects.create(appeal=AppealFactory(), language="fr")
    jobs.claim(job.pk)

    # What the worker's main process calls after killing the child at the hard limit.
    render_appeal.on_failure(TimeLimitExceeded(90), "task-id", (job.pk,), {}, None)

    job.refresh_from_db()
    assert job.state == RenderJob.State.FAILED
    assert "took longer than 90 seconds" in job.error


def test_storage_trouble_is_retried_and_then_succeeds(monkeypatch, reviewer):
    from django.core.files.storage import FileSystemStorage

    real_save = FileSystemStorage.save
    failures = []

    def flaky_save(self, name, content, *args, **kwargs):
        if not failures:
            failures.append(name)
            raise OSError("disk full")
        return real_save(self, name, content, *args, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", flaky_save)
    appeal = AppealFactory()
    job = render(actor=reviewer, appeal=appeal, language="fr")
    job.refresh_from_db()

    assert failures, "the storage failure was not exercised"
    assert job.state == RenderJob.State.READY, job.error
    assert job.attempts == 2


def test_a_render_past_the_soft_time_limit_fails_with_a_message(monkeypatch, reviewer):
    from celery.exceptions import SoftTimeLimitExceeded

    def too_slow(job_id):
        jobs.claim(job_id)
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(jobs, "run", too_slow)
    job = render(actor=reviewer, appeal=AppealFactory(), language="fr")
    job.refresh_from_db()
    assert job.state == RenderJob.State.FAILED
    assert "took longer than 60 seconds" in job.error
