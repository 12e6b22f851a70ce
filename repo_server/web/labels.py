"""Display names of codes (statuses, types, roles, actions), translated when shown."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

STATUSES = {
    "draft": _l("Bản nháp"),
    "submitted": _l("Chờ duyệt"),
    "returned": _l("Bị trả lại"),
    "published": _l("Đã xuất bản"),
    "archived": _l("Đã lưu trữ"),
}
QUESTION_TYPES = {
    "single_choice": _l("Một lựa chọn"),
    "multiple_response": _l("Nhiều lựa chọn"),
    "true_false": _l("Đúng/Sai"),
    "true_false_cluster": _l("Đúng/Sai dạng chùm (4 ý a–d)"),
    "numeric": _l("Trả lời ngắn (số)"),
}
MATERIAL_KINDS = {
    "lecture": _l("Bài giảng e-learning"),
    "slides": _l("Trình chiếu"),
    "document": _l("Tài liệu"),
    "video": _l("Video"),
    "audio": _l("Âm thanh"),
    "simulation": _l("Mô phỏng"),
    "interactive": _l("Tương tác"),
    "other": _l("Khác"),
}
ROLES = {
    "admin": _l("Quản trị viên"),
    "curator": _l("Chuyên viên duyệt"),
    "teacher": _l("Giáo viên"),
    "student": _l("Học sinh"),
}
ORG_KINDS = {
    "department": _l("Sở GD&ĐT"),
    "office": _l("Phòng GD&ĐT"),
    "school": _l("Trường học"),
}
LEVELS = {
    "MN": _l("Mầm non"),
    "TH": _l("Tiểu học"),
    "THCS": _l("Trung học cơ sở"),
    "THPT": _l("Trung học phổ thông"),
}
#: Button text of each lifecycle move.
ACTIONS = {
    "submit": _l("Gửi duyệt"),
    "withdraw": _l("Rút lại"),
    "publish": _l("Xuất bản"),
    "return": _l("Trả lại"),
    "archive": _l("Lưu trữ"),
}
#: History entries: what happened (past tense in English, hence the context).
EVENTS = {
    "create": lazy_pgettext("event", "Tạo mới"),
    "update": lazy_pgettext("event", "Chỉnh sửa"),
    "submit": lazy_pgettext("event", "Gửi duyệt"),
    "withdraw": lazy_pgettext("event", "Rút lại"),
    "publish": lazy_pgettext("event", "Xuất bản"),
    "return": lazy_pgettext("event", "Trả lại"),
    "archive": lazy_pgettext("event", "Lưu trữ"),
    "supersede": lazy_pgettext("event", "Thay bằng phiên bản mới"),
    "new_version": lazy_pgettext("event", "Tạo phiên bản mới"),
}
#: Flash message after each lifecycle move.
DONE = {
    "submit": _l("Đã gửi duyệt."),
    "withdraw": _l("Đã rút lại; nội dung trở về bản nháp."),
    "publish": _l("Đã xuất bản."),
    "return": _l("Đã trả lại cho tác giả."),
    "archive": _l("Đã chuyển vào lưu trữ."),
}
LANGUAGES = {
    "vi": _l("Tiếng Việt"),
    "en": _l("Tiếng Anh"),
    "fr": _l("Tiếng Pháp"),
    "zh": _l("Tiếng Trung"),
    "ja": _l("Tiếng Nhật"),
    "ko": _l("Tiếng Hàn"),
    "ru": _l("Tiếng Nga"),
    "de": _l("Tiếng Đức"),
}
LICENCES = {
    "CC-BY-4.0": "CC BY 4.0",
    "CC-BY-SA-4.0": "CC BY-SA 4.0",
    "CC-BY-NC-4.0": "CC BY-NC 4.0",
    "CC-BY-NC-SA-4.0": "CC BY-NC-SA 4.0",
    "CC0-1.0": "CC0 1.0",
    "ALL-RIGHTS-RESERVED": _l("Giữ bản quyền (không chia sẻ lại)"),
}
