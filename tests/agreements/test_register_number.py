"""The register number: written from the configured pattern, its running number counted per year
and kind, never repeated and never skipped, also when registrations happen at the same moment
(PostgreSQL, real threads) or one of them is rolled back."""
from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from alur.agreements.models import RegisterCounter
from alur.agreements.register import check_settings, format_number, pattern_problem, running_of, take_number
from alur.workflow.errors import InvalidInput
from alur.workflow.models import Task
from alur.workflow.services import complete_task
from tests.agreements.walking import drafted, to_signing
from tests.conftest import RECORDS
from tests.test_settings import settings_under

NOV = datetime.date(2026, 11, 26)


# --- the pattern ------------------------------------------------------------------------------------

def test_the_default_pattern_gives_classification_running_number_kind_bureau_roman_month_and_year(settings):
    assert settings.ALUR_REGISTER_PATTERN == "{klasifikasi}/{urut}/{jenis}/B.PEM/{bulan_romawi}/{tahun}"

    assert format_number(kind="pks", running=7, on_date=NOV) == "119/7/PKS/B.PEM/XI/2026"


@pytest.mark.parametrize("kind, code", [("pks", "PKS"), ("mou", "MoU"), ("addendum", "ADD")])
def test_each_kind_has_its_code(kind, code):
    assert format_number(kind=kind, running=1, on_date=NOV, pattern="{jenis}") == code


def test_months_are_written_in_roman_numerals():
    months = [format_number(kind="pks", running=1, on_date=datetime.date(2026, m, 1), pattern="{bulan_romawi}")
              for m in range(1, 13)]

    assert months == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def test_the_running_number_is_unpadded_unless_the_pattern_pads_it():
    assert format_number(kind="pks", running=7, on_date=datetime.date(2026, 3, 2), klasifikasi="180",
                         pattern="{klasifikasi}.{urut:03}/{jenis}/{bulan:02}-{bulan}/{tahun}") == "180.007/PKS/03-3/2026"
    assert format_number(kind="pks", running=1234, on_date=NOV, pattern="{urut:03}/{jenis}/{tahun}") == "1234/PKS/2026"


def test_the_classification_comes_from_its_setting(settings):
    settings.ALUR_REGISTER_KLASIFIKASI = "180.1"

    assert format_number(kind="mou", running=2, on_date=NOV) == "180.1/2/MoU/B.PEM/XI/2026"


@pytest.mark.parametrize("pattern, named", [
    ("{klasifikasi}/{nomor}/{jenis}/{tahun}", "isian {nomor} tidak dikenal"),
    ("{urut}/{jenis}/{tahun}/{}", "isian {} tidak dikenal"),
    ("{urut}/{jenis}/{tahun}/{0}", "isian {0} tidak dikenal"),
    ("{urut}/{jenis}/{tahun.real}", "isian {tahun.real} tidak dikenal"),
    ("{urut}/{jenis}/{tahun", "tidak dapat dibaca"),
    ("{urut}/{jenis}/B.PEM/{bulan_romawi}", "harus memuat {tahun}"),
    ("{klasifikasi}/{urut}/PKS/B.PEM/{bulan_romawi}/{tahun}", "harus memuat {jenis}"),
    ("{klasifikasi}/{jenis}/{tahun}", "harus memuat {urut}"),
    ("{urut}/{jenis:d}/{tahun}", "tidak dapat ditulis"),
    ("{urut}/{jenis}/{tahun}/" + "X" * 120, "paling panjang 120"),
])
def test_a_pattern_that_cannot_make_numbers_is_described(pattern, named):
    assert named in pattern_problem(pattern)


def test_the_known_placeholders_are_named_when_one_is_not_known():
    problem = pattern_problem("{urut}/{jenis}/{tahun}/{bln}")

    assert "{klasifikasi}, {urut}, {jenis}, {bulan_romawi}, {bulan}, {tahun}" in problem


def test_literal_braces_are_text():
    assert pattern_problem("{{B.PEM}}/{urut}/{jenis}/{tahun}") == ""
    assert format_number(kind="pks", running=1, on_date=NOV, pattern="{{B.PEM}}/{urut}/{jenis}/{tahun}") == "{B.PEM}/1/PKS/2026"


def test_a_bad_pattern_in_the_settings_is_refused_naming_the_variable_and_the_placeholder(settings):
    settings.ALUR_REGISTER_PATTERN = "{klasifikasi}/{nomor}/{jenis}/{tahun}"

    with pytest.raises(ImproperlyConfigured, match=r"ALUR_REGISTER_PATTERN='\{klasifikasi\}/\{nomor\}.*isian \{nomor\} tidak dikenal"):
        check_settings()


def test_an_empty_classification_is_refused_by_name(settings):
    settings.ALUR_REGISTER_KLASIFIKASI = " "

    with pytest.raises(ImproperlyConfigured, match="ALUR_REGISTER_KLASIFIKASI tidak boleh kosong"):
        check_settings()


def test_alur_does_not_start_with_a_pattern_naming_an_unknown_placeholder(tmp_path):
    result = settings_under(tmp_path, ALUR_REGISTER_PATTERN="{klasifikasi}/{nomor_urut}/{jenis}/{tahun}")

    assert result.returncode != 0
    assert "ALUR_REGISTER_PATTERN" in result.stderr and "isian {nomor_urut} tidak dikenal" in result.stderr


def test_alur_starts_with_a_pattern_and_classification_of_its_own(tmp_path):
    result = settings_under(tmp_path, ALUR_REGISTER_PATTERN="{klasifikasi}/{urut:04}/{jenis}/{bulan:02}/{tahun}",
                            ALUR_REGISTER_KLASIFIKASI="180")

    assert result.returncode == 0, result.stderr


# --- a kind's own pattern ---------------------------------------------------------------------------

ISSUE_EXAMPLE = "{klasifikasi}/{urut}/PKS/B.PEM/{bulan_romawi}/{tahun}"


def test_a_kind_may_have_its_own_pattern_the_others_keeping_the_shared_one(settings):
    settings.ALUR_REGISTER_PATTERN_PKS = ISSUE_EXAMPLE
    check_settings()

    assert format_number(kind="pks", running=7, on_date=NOV) == "119/7/PKS/B.PEM/XI/2026"
    assert format_number(kind="mou", running=7, on_date=NOV) == "119/7/MoU/B.PEM/XI/2026"


def test_a_pattern_of_one_kind_alone_need_not_name_the_kind(settings):
    settings.ALUR_REGISTER_PATTERN = "{urut}/NK/{tahun}"
    settings.ALUR_REGISTER_PATTERN_PKS = "{urut}/PKS/{tahun}"
    settings.ALUR_REGISTER_PATTERN_ADDENDUM = "{urut}/ADD/{tahun}"

    check_settings()  # the shared pattern writes the MoU's numbers only

    assert [format_number(kind=kind, running=3, on_date=NOV) for kind in ("mou", "pks", "addendum")] == [
        "3/NK/2026", "3/PKS/2026", "3/ADD/2026"]


def test_a_shared_pattern_without_the_kind_is_refused_pointing_to_the_kinds_own_patterns(settings):
    settings.ALUR_REGISTER_PATTERN = ISSUE_EXAMPLE
    settings.ALUR_REGISTER_PATTERN_PKS = ISSUE_EXAMPLE

    with pytest.raises(ImproperlyConfigured, match=r"^ALUR_REGISTER_PATTERN='.*harus memuat \{jenis\}.*ALUR_REGISTER_PATTERN_PKS"):
        check_settings()


def test_patterns_whose_numbers_read_as_another_kinds_are_refused_naming_both(settings):
    settings.ALUR_REGISTER_PATTERN_PKS = "{urut}/{tahun}"
    settings.ALUR_REGISTER_PATTERN_MOU = "1{urut}/{tahun}"
    settings.ALUR_REGISTER_PATTERN_ADDENDUM = "{urut}/ADD/{tahun}"

    with pytest.raises(ImproperlyConfigured, match=r"ALUR_REGISTER_PATTERN_PKS=.* dan ALUR_REGISTER_PATTERN_MOU=.*"
                                                   r"nomor PKS 12/2026 terbaca juga sebagai nomor MoU"):
        check_settings()


def test_a_kinds_pattern_is_checked_like_the_shared_one(settings):
    settings.ALUR_REGISTER_PATTERN_MOU = "{urut}/MoU"

    with pytest.raises(ImproperlyConfigured, match=r"ALUR_REGISTER_PATTERN_MOU='\{urut\}/MoU': harus memuat \{tahun\}"):
        check_settings()


def test_alur_starts_with_the_pks_pattern_of_the_issue_as_the_pks_pattern(tmp_path):
    result = settings_under(tmp_path, ALUR_REGISTER_PATTERN_PKS=ISSUE_EXAMPLE)

    assert result.returncode == 0, result.stderr


# --- reading a number back ----------------------------------------------------------------------------

@pytest.mark.parametrize("number, kind, found", [
    ("119/7/PKS/B.PEM/XI/2026", "pks", (2026, 7)),
    ("119/123/mou/b.pem/xii/2025", "mou", (2025, 123)),
    (" 119/1/ADD/B.PEM/I/2027 ", "addendum", (2027, 1)),
    ("119/7/PKS/B.PEM/XI/2026", "mou", None),  # another kind's
    ("180/7/PKS/B.PEM/XI/2026", "pks", None),  # another classification
    ("119/7/PKS/B.PEM/XIII/2026", "pks", None),
    ("180/12/PEM/2024", "pks", None),  # an older scheme
])
def test_a_number_of_the_series_is_read_back_as_its_year_and_running_number(number, kind, found):
    assert running_of(number, kind) == found


def test_a_padded_pattern_is_read_back_too(settings):
    settings.ALUR_REGISTER_PATTERN = "{klasifikasi}.{urut:03}/{jenis}/{bulan:02}/{tahun}"

    assert running_of("119.045/PKS/03/2026", "pks") == (2026, 45)


# --- the running number ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_running_number_counts_per_year_and_kind():
    numbers = [take_number(kind=kind, on_date=day) for kind, day in [
        ("pks", NOV), ("pks", NOV), ("mou", NOV), ("pks", datetime.date(2027, 1, 4)), ("pks", datetime.date(2026, 12, 31))]]

    assert numbers == ["119/1/PKS/B.PEM/XI/2026", "119/2/PKS/B.PEM/XI/2026", "119/1/MoU/B.PEM/XI/2026",
                       "119/1/PKS/B.PEM/I/2027", "119/3/PKS/B.PEM/XII/2026"]
    assert sorted(RegisterCounter.objects.values_list("year", "kind", "last")) == [
        (2026, "mou", 1), (2026, "pks", 3), (2027, "pks", 1)]


@pytest.mark.django_db
def test_the_running_number_goes_on_from_a_counter_already_kept():
    RegisterCounter.objects.create(year=2026, kind="pks", last=41)

    assert take_number(kind="pks", on_date=NOV) == "119/42/PKS/B.PEM/XI/2026"


@pytest.mark.django_db
def test_a_number_taken_in_a_transaction_rolled_back_is_given_again():
    take_number(kind="pks", on_date=NOV)
    with pytest.raises(InvalidInput):
        with transaction.atomic():
            assert take_number(kind="pks", on_date=NOV) == "119/2/PKS/B.PEM/XI/2026"
            raise InvalidInput("registrasi ditolak")

    assert take_number(kind="pks", on_date=NOV) == "119/2/PKS/B.PEM/XI/2026"


@pytest.mark.django_db
def test_the_first_number_of_a_year_rolled_back_leaves_no_counter_behind():
    with pytest.raises(InvalidInput):
        with transaction.atomic():
            take_number(kind="addendum", on_date=NOV)
            raise InvalidInput("registrasi ditolak")

    assert not RegisterCounter.objects.exists()
    assert take_number(kind="addendum", on_date=NOV) == "119/1/ADD/B.PEM/XI/2026"


@pytest.mark.django_db(transaction=True)
def test_a_number_is_taken_only_inside_the_registrations_transaction():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        take_number(kind="pks", on_date=NOV)

    assert not RegisterCounter.objects.exists()


# --- numbers the office gave before ------------------------------------------------------------------

def entered(users, number: str, kind: str = "pks", **changes):
    from alur.agreements.entry import record_signed_agreement
    from alur.agreements.models import Partner
    from alur.org.models import OrgUnit

    return record_signed_agreement(
        actor=users["pengelola"], kind=kind, number=number, title=f"Perjanjian {number}",
        partner=Partner.objects.get(name="PT Pesona Wisata Serumpun"), org_unit=OrgUnit.objects.get(code="dispar"),
        object="Promosi pariwisata", scope="Promosi bersama", signed_on=datetime.date(2026, 3, 2),
        starts_on=datetime.date(2026, 3, 2), ends_on=datetime.date(2028, 3, 1), **changes)


@pytest.mark.django_db
def test_registration_counts_on_from_a_number_of_the_series_entered_by_hand(users):
    entered(users, "119/5/PKS/B.PEM/III/2026")

    with transaction.atomic():
        assert take_number(kind="pks", on_date=NOV) == "119/6/PKS/B.PEM/XI/2026"


@pytest.mark.django_db
def test_a_number_entered_below_the_counter_leaves_the_counter_where_it_is(users):
    RegisterCounter.objects.create(year=2026, kind="pks", last=9)

    entered(users, "119/5/PKS/B.PEM/III/2026")

    assert RegisterCounter.objects.get(year=2026, kind="pks").last == 9


@pytest.mark.django_db
def test_a_number_of_another_scheme_moves_no_counter(users):
    entered(users, "180/12/PEM/2026")

    assert not RegisterCounter.objects.exists()


@pytest.mark.django_db
def test_a_number_written_as_another_kinds_is_refused_and_moves_no_counter(users):
    with pytest.raises(InvalidInput, match=r"Nomor 119/30/MoU/B.PEM/III/2026 ditulis sebagai nomor MoU, padahal jenis "
                                           r"perjanjiannya Perjanjian Kerja Sama \(PKS\); periksa jenis atau nomornya"):
        entered(users, "119/30/MoU/B.PEM/III/2026", kind="pks")

    assert not RegisterCounter.objects.exists()


@pytest.mark.django_db
def test_an_imported_register_moves_each_kinds_counter_past_its_highest_number(users):
    for number, kind in [("119/3/PKS/B.PEM/I/2026", "pks"), ("119/11/PKS/B.PEM/II/2026", "pks"),
                         ("119/2/MoU/B.PEM/II/2026", "mou"), ("119/40/PKS/B.PEM/XII/2025", "pks")]:
        entered(users, number, kind=kind, source="import")

    assert sorted(RegisterCounter.objects.values_list("year", "kind", "last")) == [
        (2025, "pks", 40), (2026, "mou", 2), (2026, "pks", 11)]


@pytest.mark.django_db
def test_a_mistyped_number_corrected_leaves_the_register_counting_on_from_the_right_one(users):
    from alur.agreements.entry import update_agreement

    entered(users, "119/8/PKS/B.PEM/III/2026")
    typo = entered(users, "119/900/PKS/B.PEM/III/2026")
    assert RegisterCounter.objects.get(year=2026, kind="pks").last == 900

    update_agreement(actor=users["pengelola"], agreement_id=typo.pk, number="119/9/PKS/B.PEM/III/2026")

    assert RegisterCounter.objects.get(year=2026, kind="pks").last == 9
    with transaction.atomic():
        assert take_number(kind="pks", on_date=NOV) == "119/10/PKS/B.PEM/XI/2026"


@pytest.mark.django_db
def test_a_number_corrected_away_below_the_counter_leaves_the_counter(users):
    from alur.agreements.entry import update_agreement

    typo = entered(users, "119/4/PKS/B.PEM/III/2026")
    entered(users, "119/8/PKS/B.PEM/III/2026")

    update_agreement(actor=users["pengelola"], agreement_id=typo.pk, number="180/4/PEM/2026")

    assert RegisterCounter.objects.get(year=2026, kind="pks").last == 8


@pytest.mark.django_db
def test_a_number_registration_gave_is_never_given_again_even_when_corrected_away(users):
    from alur.agreements.entry import update_agreement
    from alur.workflow.audit import record_event

    given = entered(users, "119/5/PKS/B.PEM/III/2026")  # stands for a number registration gave:
    record_event(action="agreement.registered", actor=users["pengelola"],
                 data={"agreement": given.pk, "number": given.number, "kind": "pks"})
    typo = entered(users, "119/6/PKS/B.PEM/III/2026")
    update_agreement(actor=users["pengelola"], agreement_id=given.pk, number="119/5A/PKS/B.PEM/III/2026")

    update_agreement(actor=users["pengelola"], agreement_id=typo.pk, number="180/6/PEM/2026")

    assert RegisterCounter.objects.get(year=2026, kind="pks").last == 5


@pytest.mark.django_db
def test_a_number_corrected_into_the_series_moves_the_counter(users):
    from alur.agreements.entry import update_agreement

    agreement = entered(users, "180/12/PEM/2026")

    update_agreement(actor=users["pengelola"], agreement_id=agreement.pk, number="119/8/PKS/B.PEM/III/2026")

    assert RegisterCounter.objects.get(year=2026, kind="pks").last == 8


# --- at the same moment (PostgreSQL) --------------------------------------------------------------

def postgres_only(test):
    """Real concurrency needs PostgreSQL's row locks: Django's SQLite test database is a
    shared-cache in-memory one, where a second writer fails instead of waiting."""
    test = pytest.mark.postgres_only(test)
    return pytest.mark.skipif(connection.vendor != "postgresql",
                              reason="needs PostgreSQL row locks under real concurrency; runs in the PostgreSQL pass of make test")(test)


def at_once(actions) -> list:
    """Run each action in its own thread and database connection, released together; returns
    what each returned or raised."""
    start = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(index: int) -> None:
        try:
            start.wait(timeout=10)
            results[index] = actions[index]()
        except BaseException as exc:  # handed to the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a registration still runs after 60 s"
    return results


def registering(kind: str, *, hold: float = 0.0, fail: bool = False):
    """A registration's transaction: take a number, keep the transaction open a moment (so the
    others queue on the counter's row), then commit, or roll back when told to fail."""

    def run():
        with transaction.atomic():
            number = take_number(kind=kind, on_date=NOV)
            threading.Event().wait(hold)
            if fail:
                raise InvalidInput(f"registrasi {number} ditolak")
            return number

    return run


@postgres_only
@pytest.mark.parametrize("counter_exists", [False, True], ids=["first-of-the-year", "counter-kept"])
@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_get_one_to_n_exactly(counter_exists):
    if counter_exists:
        RegisterCounter.objects.create(year=2026, kind="pks", last=0)

    results = at_once([registering("pks", hold=0.05) for _ in range(8)])

    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sorted(int(r.split("/")[1]) for r in results) == list(range(1, 9))
    assert RegisterCounter.objects.get(year=2026, kind="pks").last == 8


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_registration_rolled_back_among_simultaneous_ones_leaves_no_gap():
    actions = [registering("pks", hold=0.05) for _ in range(5)]
    actions[2] = registering("pks", hold=0.05, fail=True)

    results = at_once(actions)

    refused = [r for r in results if isinstance(r, InvalidInput)]
    numbers = sorted(int(r.split("/")[1]) for r in results if isinstance(r, str))
    assert (len(refused), numbers) == (1, [1, 2, 3, 4])
    assert RegisterCounter.objects.get(year=2026, kind="pks").last == 4


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_of_different_kinds_count_apart():
    results = at_once([registering(kind, hold=0.02) for kind in ["pks", "mou", "pks", "mou", "pks", "addendum"]])

    assert sorted(results) == sorted(["119/1/PKS/B.PEM/XI/2026", "119/2/PKS/B.PEM/XI/2026", "119/3/PKS/B.PEM/XI/2026",
                                      "119/1/MoU/B.PEM/XI/2026", "119/2/MoU/B.PEM/XI/2026", "119/1/ADD/B.PEM/XI/2026"])


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_registration_steps_through_the_engine_number_one_to_n(users):
    walkers = []
    for index in range(5):
        agreement, walker = drafted(users, title=f"PKS Serentak {index}")
        to_signing(walker)
        walker.step()
        walkers.append((agreement, walker))

    def register(walker):
        task = walker.open_task
        return lambda: complete_task(task_id=task.pk, actor=users["pengelola"], record=RECORDS["registrasi"])

    results = at_once([register(walker) for _, walker in walkers])

    assert not [r for r in results if isinstance(r, BaseException)], results
    numbers = []
    for agreement, _ in walkers:
        agreement.refresh_from_db()
        numbers.append(int(agreement.number.split("/")[1]))
    assert sorted(numbers) == [1, 2, 3, 4, 5]
    assert not Task.objects.filter(status=Task.Status.OPEN).exists()

