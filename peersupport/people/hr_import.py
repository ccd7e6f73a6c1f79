"""Loading departments, functions and employees from the HR system's CSV (R-28).

The shapes people really export are accepted: UTF-8 with or without BOM, comma or
semicolon separated (Excel in Dutch), quoted fields, English or Dutch headers.
A file with any error writes nothing and every error is listed with its line
number. A re-import adds new people, updates changed ones and deactivates leavers,
who keep any open case until it closes. A dry run does all of it and rolls back.
"""

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from peersupport.people import phones
from peersupport.people.models import Department, Employee, Function

# column -> the header names accepted for it (compared lower-case, spaces as _)
COLUMNS = {
    "staff_number": ("staff_number", "personeelsnummer", "personnel_number"),
    "name": ("name", "naam"),
    "email": ("email", "e-mail", "work_email", "e-mail_werk"),
    "phone": ("phone", "telefoon", "work_phone"),
    "department_code": ("department_code", "afdelingscode"),
    "department_name": ("department_name", "afdeling", "department"),
    "function_code": ("function_code", "functiecode"),
    "function_name": ("function_name", "functie", "function"),
    "manager_staff_number": ("manager_staff_number", "leidinggevende", "manager"),
}
REQUIRED = ("staff_number", "name", "department_code", "function_code")
LIMITS = {
    "staff_number": 20,
    "name": 150,
    "email": 254,
    "phone": 30,
    "department_code": 20,
    "department_name": 100,
    "function_code": 20,
    "function_name": 100,
    "manager_staff_number": 20,
}


@dataclass
class Row:
    line: int
    staff_number: str
    name: str
    email: str
    phone: str
    department_code: str
    department_name: str
    function_code: str
    function_name: str
    manager_staff_number: str


@dataclass
class Report:
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    departments_created: list[str] = field(default_factory=list)
    functions_created: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def import_csv(data: bytes, *, dry_run: bool = False) -> Report:
    rows, errors = parse(data)
    if errors:
        return Report(errors=errors, dry_run=dry_run)
    return apply(rows, dry_run=dry_run)


def parse(data: bytes) -> tuple[list[Row], list[tuple[int, str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [(1, _("The file is not UTF-8 text. Export it as CSV UTF-8."))]
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return [], [(1, _("The file is empty."))]
    aliases = {alias: column for column, names in COLUMNS.items() for alias in names}
    positions: dict[str, int] = {}
    # Errors name a column as the file's own header does ("Personeelsnummer").
    titles: dict[str, str] = {column: column for column in COLUMNS}
    for index, title in enumerate(header):
        column = aliases.get(title.strip().lower().replace(" ", "_"))
        if column:
            positions[column] = index
            titles[column] = title.strip()
    missing = [" / ".join(COLUMNS[c][:2]) for c in REQUIRED if c not in positions]
    if missing:
        return [], [(1, _("Missing column: %(columns)s.") % {"columns": ", ".join(missing)})]

    rows: list[Row] = []
    errors: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    line = reader.line_num
    for record in reader:
        start, line = line + 1, reader.line_num  # a quoted field may span lines
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            errors.append(
                (
                    start,
                    _("%(found)s fields where the header has %(expected)s.")
                    % {"found": len(record), "expected": len(header)},
                )
            )
            continue
        values = {c: (record[positions[c]].strip() if c in positions else "") for c in COLUMNS}
        row_errors = _check(values, titles)
        number = values["staff_number"]
        if number and number in seen:
            row_errors.append(
                _("Staff number %(number)s is also on line %(line)s.")
                % {"number": number, "line": seen[number]}
            )
        seen.setdefault(number, start)
        errors += [(start, message) for message in row_errors]
        if not row_errors:
            rows.append(Row(line=start, **values))
    numbers = {r.staff_number for r in rows}
    for row in rows:
        manager = row.manager_staff_number
        if manager == row.staff_number:
            errors.append((row.line, _("An employee cannot be their own manager.")))
        elif manager and manager not in numbers and manager not in seen:
            errors.append(
                (row.line, _("Manager %(number)s is not in the file.") % {"number": manager})
            )
    return rows, sorted(errors)


def _check(values: dict[str, str], titles: dict[str, str]) -> list[str]:
    problems = []
    for column in REQUIRED:
        if not values[column]:
            problems.append(_("%(column)s is empty.") % {"column": titles[column]})
    for column, limit in LIMITS.items():
        if len(values[column]) > limit:
            problems.append(
                _("%(column)s is longer than %(limit)s characters.")
                % {"column": titles[column], "limit": limit}
            )
    if values["phone"]:
        try:
            values["phone"] = phones.normalise(values["phone"])  # stored as E.164
        except ValidationError:
            problems.append(_("%(column)s is not a phone number.") % {"column": titles["phone"]})
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            problems.append(
                _("%(column)s: “%(email)s” is not an e-mail address.")
                % {"column": titles["email"], "email": values["email"]}
            )
    return problems


def apply(rows: list[Row], *, dry_run: bool = False) -> Report:
    report = Report(dry_run=dry_run)
    with transaction.atomic():
        departments = _codes(Department, rows, "department", report.departments_created)
        functions = _codes(Function, rows, "function", report.functions_created)
        # Departments missing from the file are closed; those in it open again.
        in_use = set(departments) & {r.department_code for r in rows}
        Department.objects.exclude(code__in=in_use).update(is_active=False)
        Department.objects.filter(code__in=in_use, is_active=False).update(is_active=True)
        existing = {e.staff_number: e for e in Employee.objects.select_for_update()}
        new, changed = [], []
        fields = ["name", "email", "phone", "department_id", "function_id", "is_active"]
        for row in rows:
            wanted = {
                "name": row.name,
                "email": row.email,
                "phone": row.phone,
                "department_id": departments[row.department_code].pk,
                "function_id": functions[row.function_code].pk,
                "is_active": True,
            }
            employee = existing.get(row.staff_number)
            if employee is None:
                new.append(Employee(staff_number=row.staff_number, **wanted))
                report.created.append(row.staff_number)
            elif any(getattr(employee, k) != v for k, v in wanted.items()):
                for key, value in wanted.items():
                    setattr(employee, key, value)
                changed.append(employee)
                report.updated.append(row.staff_number)
        Employee.objects.bulk_create(new, batch_size=2000)
        Employee.objects.bulk_update(changed, fields, batch_size=2000)

        ids = dict(Employee.objects.values_list("staff_number", "pk"))
        managed = []
        updated = set(report.updated)
        for row in rows:
            employee = existing.get(row.staff_number)
            manager_id = ids.get(row.manager_staff_number) if row.manager_staff_number else None
            if employee is None or employee.manager_id != manager_id:
                managed.append(Employee(pk=ids[row.staff_number], manager_id=manager_id))
                if employee is not None and row.staff_number not in updated:
                    report.updated.append(row.staff_number)
                    updated.add(row.staff_number)
        Employee.objects.bulk_update(managed, ["manager_id"], batch_size=2000)

        in_file = {row.staff_number for row in rows}
        leavers = [e for number, e in existing.items() if e.is_active and number not in in_file]
        for leaver in leavers:
            leaver.is_active = False
            report.deactivated.append(leaver.staff_number)
        Employee.objects.bulk_update(leavers, ["is_active"], batch_size=2000)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _codes(
    model: type[Department] | type[Function],
    rows: list[Row],
    field: str,
    created: list[str],
) -> dict[str, Any]:
    """Departments or functions by code: new codes created, changed names updated
    (only when the file names them at all)."""
    known = {o.code: o for o in model.objects.all()}
    names = {
        getattr(r, f"{field}_code"): getattr(r, f"{field}_name") or getattr(r, f"{field}_code")
        for r in rows
    }
    named = any(getattr(r, f"{field}_name") for r in rows)
    for code, name in names.items():
        found = known.get(code)
        if found is None:
            known[code] = model.objects.create(code=code, name=name)
            created.append(code)
        elif named and found.name != name:
            found.name = name
            found.save(update_fields=["name"])
    return known
