"""Every feature's models, imported in one place so Alembic sees the whole schema."""
from app.accounts.models import AccessLink, User  # noqa: F401
from app.api.models import ApiToken  # noqa: F401
from app.audit.models import AuditEvent  # noqa: F401
from app.coalition.models import Area, ChallengeArea, Organisation  # noqa: F401
from app.consultations.models import Consultation, Option, Question  # noqa: F401
from app.core.once import UsedFormToken  # noqa: F401
from app.feedback.models import FeedbackRead, FeedbackUpdate  # noqa: F401
from app.moderate.models import Theme  # noqa: F401
from app.participate.models import Contribution, Participant, Vote  # noqa: F401
from app.portfolio.models import (  # noqa: F401
    DecisionRound,
    DecisionVote,
    Initiative,
    PortfolioPriority,
    PortfolioTerm,
    PriorityLink,
)
from app.push.models import PushJob, PushSubscription  # noqa: F401
from app.results.models import Priority  # noqa: F401
