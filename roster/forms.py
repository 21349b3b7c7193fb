from django import forms
from django.core.files.uploadedfile import UploadedFile

from roster.services import MAX_FILE_BYTES


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="Roster CSV file",
        help_text="Columns: email, given name, surname, graduation year, roles (mentee; mentor; admin); "
        "optional student id, cohort. One header row.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    full_roster = forms.BooleanField(
        label="This is the full roster: deactivate students who are not in it",
        required=False,
        help_text="You will see how many first, and confirm the number.",
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:  # refused before reading it into memory
            raise forms.ValidationError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it.")
        return upload


class RosterConfirmForm(forms.Form):
    deactivate_count = forms.IntegerField(
        label="Number of students to deactivate", required=False, min_value=0, max_value=10**6
    )
    apply_admin_changes = forms.BooleanField(label="Also apply the changes to program admins", required=False)
