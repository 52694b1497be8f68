"""The one authorisation policy: ``can(actor, action, resource)``.

Every web request is authorised through this function (see
``safeside.web.deps.authorize``). Visibility of a case is decided by team and
membership, whatever the role:

| role | sees cases | may also |
|---|---|---|
| practitioner | of their team where they are a member | record concerns, export, update tasks |
| manager | every case of their team | authorise repeat viewing (not their own request), team dashboard, audit |
| legal | every case of their team (read only) | export bundles, audit |
| admin | none | read the audit log of their team; look after every account |

Accounts: a manager may see the accounts of their team and unlock them; an
administrator may see every account, unlock it, make a one-time password reset link for
it, and disable or re-enable it (not their own).

Learning (CPD records, digests, scenarios, guidance, self-assessment) is open to every
signed-in user; a CPD record, digest or scenario run is seen only by its owner. Team
capability reports are for managers (their team) and administrators (the whole
organisation), and only ever show groups of at least five people.
"""

from __future__ import annotations

from typing import Final, Protocol, runtime_checkable

from safeside.access.models import User
from safeside.cases.models import Case

#: Actions that anyone may take, signed in or not.
PUBLIC_ACTIONS: Final = frozenset({"sign_in", "sign_out", "reset_password"})

#: Actions any signed-in user may take, whatever their role.
SIGNED_IN_ACTIONS: Final = frozenset(
    {
        "check_post",
        "list_cases",
        "view_learning",
        "record_cpd",
        "build_digest",
        "take_scenario",
        "view_guidance",
        "take_self_assessment",
        "change_own_password",
    }
)

#: Actions on a record that belongs to one person (a CPD record, a digest): theirs only.
OWNER_ACTIONS: Final = frozenset({"view_own_record", "edit_own_record"})

#: Actions on a whole area, by the roles allowed them.
ROLE_ACTIONS: Final[dict[str, frozenset[str]]] = {
    "create_case": frozenset({"practitioner", "manager"}),
    "view_tasks": frozenset({"practitioner", "manager", "legal"}),
    "view_team_dashboard": frozenset({"manager"}),
    "view_authorisations": frozenset({"manager"}),
    "view_audit": frozenset({"manager", "legal", "admin"}),
    "view_team_capability": frozenset({"manager", "admin"}),
    "view_org_capability": frozenset({"admin"}),
    "export_capability_research": frozenset({"admin"}),
    "view_users": frozenset({"manager", "admin"}),
}

#: Actions on another user's account, by the roles allowed them; managers: their team only.
USER_ACTIONS: Final[dict[str, frozenset[str]]] = {
    "view_user": frozenset({"manager", "admin"}),
    "unlock_account": frozenset({"manager", "admin"}),
    "issue_reset_link": frozenset({"admin"}),
    "disable_account": frozenset({"admin"}),
}

#: Actions on one case, by the roles allowed them; practitioners also need membership.
CASE_ACTIONS: Final[dict[str, frozenset[str]]] = {
    "view_case": frozenset({"practitioner", "manager", "legal"}),
    "record_concern": frozenset({"practitioner", "manager"}),
    "correct_evidence": frozenset({"practitioner", "manager"}),
    "update_task": frozenset({"practitioner", "manager"}),
    "export_case": frozenset({"practitioner", "manager", "legal"}),
    "authorise_viewing": frozenset({"manager"}),
}

ALL_ACTIONS: Final = (
    PUBLIC_ACTIONS
    | SIGNED_IN_ACTIONS
    | OWNER_ACTIONS
    | frozenset(ROLE_ACTIONS)
    | frozenset(CASE_ACTIONS)
    | frozenset(USER_ACTIONS)
)


@runtime_checkable
class Owned(Protocol):
    """A record that belongs to one user (``owner_id``)."""

    owner_id: int


def can(actor: User | None, action: str, resource: Case | Owned | User | None = None) -> bool:
    """Whether ``actor`` may take ``action`` (on ``resource``, for case and owner actions).

    Unknown actions are refused, so a typo denies rather than allows.
    """
    if action in PUBLIC_ACTIONS:
        return True
    if actor is None:
        return False
    if action in SIGNED_IN_ACTIONS:
        return True
    if action in ROLE_ACTIONS:
        return actor.role in ROLE_ACTIONS[action]
    if action in USER_ACTIONS:
        if not isinstance(resource, User) or actor.role not in USER_ACTIONS[action]:
            return False
        return actor.role == "admin" or resource.team_id == actor.team_id
    if action in OWNER_ACTIONS:
        return (
            isinstance(resource, Owned)
            and not isinstance(resource, Case)
            and (resource.owner_id == actor.id)
        )
    if action in CASE_ACTIONS:
        if not isinstance(resource, Case) or resource.team_id != actor.team_id:
            return False
        if actor.role not in CASE_ACTIONS[action]:
            return False
        return actor.role != "practitioner" or actor.id in resource.member_ids
    return False


def sees_all_team_cases(actor: User) -> bool:
    """True for roles that see every case of their team, not just their own."""
    return actor.role in {"manager", "legal"}
