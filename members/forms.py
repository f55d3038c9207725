from django import forms
from django.utils.translation import gettext_lazy as _

from union_portal.forms import PortalForm

from .models import OrgUnit


class OrgUnitCreateForm(PortalForm):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Type"), choices=OrgUnit.Kind.choices)

    def __init__(self, *args, parent: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = OrgUnit.ALLOWED_CHILDREN[OrgUnit.Kind(parent.kind)]
        self.fields["kind"].choices = [(k, label) for k, label in OrgUnit.Kind.choices if k in allowed]


class OrgUnitUpdateForm(PortalForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    status = forms.ChoiceField(label=_("Status"), choices=OrgUnit.Status.choices)


class OrgUnitMoveForm(PortalForm):
    submit_label = _("Move")
    new_parent_code = forms.CharField(label=_("Code of the new parent"), max_length=32)
    reason = forms.CharField(label=_("Reason"), max_length=200)
