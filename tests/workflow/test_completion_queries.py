"""The number of queries a completion costs, pinned: completing a task is what every person of
every SOP does all day (workflow/sql.py), and a change that adds a query to it shows here first.
The figures include the audit event (its head and its row) and the savepoints of the service's
transaction."""
from __future__ import annotations

from alur.workflow.models import Task
from alur.workflow.services import complete_task
from tests.conftest import pdf, record_for
from tests.agreements.walking import drafted, to_signing


def test_a_plain_step_costs_at_most_eight_queries(walker, users, django_assert_max_num_queries):
    task = walker.open_task  # step 1, the Karo receives the disposition

    with django_assert_max_num_queries(8):
        complete_task(task_id=task.pk, actor=users["karo"])

    assert Task.objects.get(pk=task.pk).status == Task.Status.DONE


def test_a_decision_that_records_a_register_field_and_an_upload_costs_at_most_fifteen_queries(users, django_assert_max_num_queries):
    agreement, walker = drafted(users)
    walker.steps(6)
    walker.step("setuju")  # Karo
    walker.step("setuju")  # TKKSD: the Governor decides next
    task = walker.open_task

    # Eight as above, the upload's six (the task's and the case's locks, the task, its versions,
    # the row, its event), and the agreement's update with the signer.
    with django_assert_max_num_queries(15):
        complete_task(task_id=task.pk, actor=users["gubernur"], outcome="setuju",
                      record=record_for("keputusan_gubernur", "setuju"), attachments=[pdf("disposisi_gubernur")])

    agreement.refresh_from_db()
    assert agreement.signer == "gubernur"


def test_registering_at_the_end_costs_at_most_seventeen_queries(users, django_assert_max_num_queries):
    agreement, walker = drafted(users)
    to_signing(walker)
    walker.step()  # the signing
    task = walker.open_task

    # Eight, the agreement's archive place, its lock, the counter, the number's check, its save,
    # the distribution and the registration's event.
    with django_assert_max_num_queries(17):
        complete_task(task_id=task.pk, actor=users["pengelola"], record=record_for("registrasi", None))

    agreement.refresh_from_db()
    assert agreement.number
