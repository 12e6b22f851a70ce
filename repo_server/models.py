"""Imports every model so the metadata is complete (for Alembic and create_all)."""

from repo_server.accounts.models import ApiToken, User  # noqa: F401
from repo_server.catalog.models import SearchOutbox  # noqa: F401
from repo_server.curation.models import (  # noqa: F401
    AuditEntry,
    CoverageCount,
    CoverageTarget,
    CuratorScope,
    Notification,
    ReviewComment,
    ReviewSetting,
    ReviewTask,
)
from repo_server.files.models import Blob, MaterialFile, Upload  # noqa: F401
from repo_server.imports.models import QuestionImport  # noqa: F401
from repo_server.jobs.models import Job  # noqa: F401
from repo_server.lifecycle.models import ContentEvent  # noqa: F401
from repo_server.materials.models import Material  # noqa: F401
from repo_server.media.models import QuestionMedia  # noqa: F401
from repo_server.orgs.models import Organisation  # noqa: F401
from repo_server.questions.models import Question  # noqa: F401
from repo_server.quizzes.models import (  # noqa: F401
    Answer,
    Attempt,
    Quiz,
    QuizQuestion,
    SchoolClass,
    ScoreEvent,
)
from repo_server.scorm.models import (  # noqa: F401
    ScormAttempt,
    ScormFile,
    ScormPackage,
)
from repo_server.taxonomy.models import (  # noqa: F401
    CognitiveLevel,
    Grade,
    Level,
    Subject,
    TextbookSeries,
    Topic,
)
