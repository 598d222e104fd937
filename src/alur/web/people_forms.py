"""Forms of the people pages: a new person, a role given to them, a role ended. They check the
shape of the input; whether a role fits a unit, a period or an acting holder is the services'
(alur.workflow.people), whose refusals come back at the field they name."""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alur.org.models import OrgUnit, Role, RoleAssignment

from .forms import BootstrapForm

DATE = {"type": "date"}


class PersonForm(BootstrapForm):
    username = forms.CharField(label=_("Nama pengguna"), max_length=150,
                               help_text=_("Untuk masuk ke Alur: huruf, angka dan @ . + - _, tanpa spasi."))
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=300)
    # The address is checked by the service, which names it in its refusal.
    email = forms.CharField(label=_("Surel"), required=False, widget=forms.EmailInput,
                            help_text=_("Ke alamat ini Alur mengirim pemberitahuan tugas."))
    password1 = forms.CharField(label=_("Kata sandi awal"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("Sampaikan kepada yang bersangkutan; paling sedikit 8 karakter, bukan kata sandi umum."))
    password2 = forms.CharField(label=_("Ulangi kata sandi"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    # The service's name of each input -> the field that shows its refusal.
    SERVICE_FIELDS = {"username": "username", "full_name": "full_name", "email": "email", "password": "password1"}

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") is not None and data["password1"] != data["password2"]:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return data


def _unit_choices() -> list:
    """Units grouped by kind, as the select shows them."""
    groups: dict[str, list] = {}
    for unit in OrgUnit.objects.order_by("kind", "name"):
        groups.setdefault(unit.get_kind_display(), []).append((unit.code, unit.name))
    return [("", _("— pilih unit —")), *groups.items()]


class AssignmentForm(BootstrapForm):
    role = forms.ChoiceField(label=_("Peran"))
    unit = forms.ChoiceField(label=_("Unit organisasi"))
    valid_from = forms.DateField(label=_("Berlaku sejak"), initial=timezone.localdate,
                                 widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE))
    valid_until = forms.DateField(label=_("Berlaku sampai"), required=False,
                                  widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE),
                                  help_text=_("Hari terakhir; kosongkan bila tidak ditentukan. Wajib untuk Plt. dan Plh."))
    acting = forms.ChoiceField(label=_("Status jabatan"), choices=RoleAssignment.Acting.choices, required=False,
                               initial="", widget=forms.RadioSelect)

    SERVICE_FIELDS = {"role": "role", "unit": "unit", "valid_from": "valid_from", "valid_until": "valid_until",
                      "acting": "acting"}

    def __init__(self, *args, opd_scoped_roles: list[Role] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("— pilih peran —")),
                                       *Role.objects.order_by("name").values_list("key", "name")]
        self.fields["unit"].choices = _unit_choices()
        if opd_scoped_roles:
            self.fields["unit"].help_text = _("%(roles)s dipegang di sebuah OPD.") % {
                "roles": ", ".join(role.name for role in opd_scoped_roles)}


class EndAssignmentForm(BootstrapForm):
    valid_until = forms.DateField(label=_("Hari terakhir"),
                                  widget=forms.DateInput(format="%Y-%m-%d", attrs={**DATE, "class": "form-control-sm"}))

    SERVICE_FIELDS = {"valid_until": "valid_until"}
