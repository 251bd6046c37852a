"""Intake's models: residents, their consent, conversations, next steps, the stage and its
history and the privacy records (``residents``); info evenings and their registrations
(``evenings``)."""

from intake.models.evenings import (
    Audience,
    InfoEvening,
    Registration,
    SignUpAttempt,
    Speaker,
)
from intake.models.residents import (
    CONSENT_TEXT_VERSION,
    LEAVING_STAGES,
    NAME_PREFIXES,
    STAGE_MOVES,
    Consent,
    Conversation,
    Correction,
    DataCopy,
    DropOutReason,
    NextStep,
    PlannedErasure,
    Resident,
    Situation,
    Source,
    Stage,
    StageChange,
    SupportNeed,
    fold_for_search,
    sort_key_for_name,
)

__all__ = [
    "CONSENT_TEXT_VERSION",
    "LEAVING_STAGES",
    "NAME_PREFIXES",
    "STAGE_MOVES",
    "Audience",
    "Consent",
    "Conversation",
    "Correction",
    "DataCopy",
    "DropOutReason",
    "InfoEvening",
    "NextStep",
    "PlannedErasure",
    "Registration",
    "Resident",
    "SignUpAttempt",
    "Situation",
    "Source",
    "Speaker",
    "Stage",
    "StageChange",
    "SupportNeed",
    "fold_for_search",
    "sort_key_for_name",
]
