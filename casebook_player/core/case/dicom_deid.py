"""De-identification of a DICOM header by the PS3.15 Annex E Basic Application Level
Confidentiality Profile, in memory, before anything of the file is used or written.

The profile's actions: X remove, Z replace with an empty value (its D, a dummy value, is Z
here: nothing reads these headers back as DICOM), U replace a UID with a new one (the same
new one for the same original within one run, so references between files still agree).
Beyond the table: every private attribute and every overlay or curve group (60xx, 50xx) is
removed, and any person name left is emptied (a safety net for names in attributes the table
does not list). Sequences the table keeps are processed item by item. The report names the
attributes, never their values.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.uid import generate_uid

# Annex E Basic Profile, the attributes found in ultrasound files and their neighbours.
_REMOVE = [
    "AcquisitionComments",
    "AcquisitionDate",
    "AcquisitionDateTime",
    "AcquisitionDeviceProcessingDescription",
    "AcquisitionTime",
    "AdditionalPatientHistory",
    "AdmissionID",
    "AdmittingDiagnosesDescription",
    "Allergies",
    "Arbitrary",
    "AuthorObserverSequence",
    "BranchOfService",
    "ConsultingPhysicianName",
    "ContentCreatorName",
    "ContrastBolusAgent",
    "CountryOfResidence",
    "CurrentPatientLocation",
    "DerivationDescription",
    "DeviceSerialNumber",
    "DischargeDiagnosisDescription",
    "EthnicGroup",
    "FrameComments",
    "ImageComments",
    "InstitutionAddress",
    "InstitutionalDepartmentName",
    "InstitutionName",
    "InstitutionCodeSequence",
    "IssuerOfPatientID",
    "MedicalAlerts",
    "MedicalRecordLocator",
    "MilitaryRank",
    "NameOfPhysiciansReadingStudy",
    "Occupation",
    "OperatorsName",
    "OtherPatientIDs",
    "OtherPatientIDsSequence",
    "OtherPatientNames",
    "PatientAddress",
    "PatientAge",
    "PatientBirthName",
    "PatientBirthTime",
    "PatientComments",
    "PatientInsurancePlanCodeSequence",
    "PatientMotherBirthName",
    "PatientReligiousPreference",
    "PatientSize",
    "PatientState",
    "PatientTelephoneNumbers",
    "PatientWeight",
    "PerformedProcedureStepID",
    "PerformedProcedureStepDescription",
    "PerformedProcedureStepStartDate",
    "PerformedProcedureStepStartTime",
    "PerformingPhysicianName",
    "PhysiciansOfRecord",
    "PregnancyStatus",
    "ProtocolName",
    "ReferencedPatientSequence",
    "ReferencedStudySequence",
    "ReferringPhysicianAddress",
    "ReferringPhysicianTelephoneNumbers",
    "RequestAttributesSequence",
    "RequestingPhysician",
    "ResponsiblePerson",
    "ResponsibleOrganization",
    "SeriesDate",
    "SeriesTime",
    "SeriesDescription",
    "SmokingStatus",
    "SpecialNeeds",
    "StationName",
    "StudyComments",
    "StudyDescription",
    "StudyIDIssuer",
    "TextComments",
    "TextString",
    "ReferringPhysicianIdentificationSequence",
    "PersonName",
    "ContentCreatorIdentificationCodeSequence",
    "OperatorIdentificationSequence",
    "PerformingPhysicianIdentificationSequence",
    "PhysiciansOfRecordIdentificationSequence",
    "RequestedProcedureDescription",
    "ScheduledProcedureStepDescription",
]
_EMPTY = [
    "AccessionNumber",
    "PatientName",
    "PatientID",
    "PatientBirthDate",
    "PatientSex",
    "StudyDate",
    "StudyTime",
    "StudyID",
    "ReferringPhysicianName",
    "ContentDate",
    "ContentTime",
    "InstanceCreationDate",
    "InstanceCreationTime",
]
_NEW_UID = [
    "StudyInstanceUID",
    "SeriesInstanceUID",
    "SOPInstanceUID",
    "FrameOfReferenceUID",
    "MediaStorageSOPInstanceUID",
    "ReferencedSOPInstanceUID",
    "InstanceCreatorUID",
    "SynchronizationFrameOfReferenceUID",
    "IrradiationEventUID",
]
ACTIONS: dict[str, str] = {
    **dict.fromkeys(_REMOVE, "X"),
    **dict.fromkeys(_EMPTY, "Z"),
    **dict.fromkeys(_NEW_UID, "U"),
}
_PERSON_NAME = "PN"


@dataclass
class DeidReport:
    """What was done, by attribute keyword (or tag for those without one)."""

    removed: Counter[str] = field(default_factory=Counter)
    emptied: Counter[str] = field(default_factory=Counter)
    new_uids: Counter[str] = field(default_factory=Counter)
    private_removed: int = 0

    def summary(self) -> str:
        parts = [
            f"{what} {sum(counts.values())} ({', '.join(sorted(counts))})"
            for what, counts in (
                ("removed", self.removed),
                ("emptied", self.emptied),
                ("new UIDs for", self.new_uids),
            )
            if counts
        ]
        if self.private_removed:
            parts.append(f"removed {self.private_removed} private attributes")
        return "de-identified (PS3.15 Basic Profile): " + ("; ".join(parts) or "nothing found")


def deidentify(dataset: Dataset, uids: dict[str, str] | None = None) -> DeidReport:
    """Apply the profile to ``dataset`` in place (its file meta too). ``uids`` maps original
    UIDs to their replacements; pass the same dict for every file of one import."""
    report = DeidReport()
    mapping = {} if uids is None else uids
    _clean(dataset, report, mapping)
    meta = getattr(dataset, "file_meta", None)
    if meta is not None:
        _clean(meta, report, mapping)
    return report


def _clean(dataset: Dataset, report: DeidReport, uids: dict[str, str]) -> None:
    for element in list(dataset):
        name = element.keyword or str(element.tag)
        action = ACTIONS.get(element.keyword)
        group = element.tag.group
        if element.tag.is_private:
            del dataset[element.tag]
            report.private_removed += 1
        elif action == "X" or (group & 0xFF00) in (0x6000, 0x5000):
            del dataset[element.tag]
            report.removed[name] += 1
        elif action == "U" and element.value:
            element.value = _new_uids(element, uids)
            report.new_uids[name] += 1
        elif (action == "Z" or element.VR == _PERSON_NAME) and element.value not in ("", None):
            element.value = ""
            report.emptied[name] += 1
        elif element.VR == "SQ":
            for item in element.value:
                _clean(item, report, uids)


def _new_uids(element: DataElement, uids: dict[str, str]) -> str | list[str]:
    values = element.value if element.VM > 1 else [element.value]
    replaced = [uids.setdefault(str(uid), generate_uid()) for uid in values]
    return replaced if element.VM > 1 else replaced[0]
