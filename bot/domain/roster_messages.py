"""Why a roster row or cell is rejected: message ids (``N_``-marked) with ``{fields}``, translated by the caller."""

from __future__ import annotations

from bot.messages.prompt import N_

MISSING = N_("a value is required here")
BAD_DATE = N_("{value} is not a date (write it like 2015-03-04 or 2015年3月4日)")
FUTURE_DATE = N_("the date {value} lies in the future")
FAR_PAST_DATE = N_("the birth date {value} would make the pupil over {years}")
BAD_PHONE = N_("{value} is not a valid phone number")
BAD_BOOL = N_("{value} is neither 是 nor 否")
BAD_NUMBER = N_("{value} is not a whole number")
BAD_ROLE = N_("{value} is not a known role (校领导, 管理员, 班主任, 帮扶教师, 爱心家长, 教育主管部门, 镇政府, "
              "儿童保护负责人, 儿童主任, 妇联, 派出所)")
BAD_ZONE = N_("{value} is not a known time zone (for example Asia/Shanghai)")
DUPLICATE_STUDENT_NO = N_("student number {value} also appears in row {first_row}")
DUPLICATE_CLASS = N_("class {value} also appears in row {first_row}")
DUPLICATE_STAFF = N_("{value} also appears in row {first_row} with another phone number")
UNKNOWN_CLASS = N_("class {value} is neither in the classes sheet nor in the database")
UNKNOWN_STAFF = {
    "class_teacher": N_("no class teacher called {value} in the staff sheet or the database"),
    "helper_teacher": N_("no helper teacher called {value} in the staff sheet or the database"),
    "caring_parent": N_("no caring parent called {value} in the staff sheet or the database"),
}
UNKNOWN_CHILD = N_("no child called {value} in the roster")
AMBIGUOUS_CHILD = N_("several children are called {value}; the study buddy cannot be chosen")
REJECTED_REFERENCE = N_("{value} is in a rejected row")
LEFT_CHILD = N_("{value} has left the school")
TOO_LONG = N_("{value} is longer than {limit} characters")
FORMULA = N_("{value} starts like a spreadsheet formula: no cell may start with =, +, - or @ (only a phone "
             "number may be written +86…, and a remark may start with \"- \"); write it without the leading sign")
NO_CACHED_VALUE = N_("the cell holds a formula but the file keeps no value for it; save the sheet as values (copy it, "
                     "paste as values) and import again")

REQUIRED_COLUMN = N_("required column missing")
