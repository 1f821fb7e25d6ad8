"""Signers confirm, correct and withdraw their own signature: `signsync apply` emails each new
signer their links through a real SMTP server (aiosmtpd on 127.0.0.1); the test follows a link,
records it in the second form's response sheet (the Sheets API emulator) as Google Forms would,
and the next run acts on the right entry."""

from __future__ import annotations

import csv
import json
import re
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.helpers import EXAMPLES, run_cli
from tests.support.sheets_emulator import SheetsEmulator
from tests.support.sheets_plugin import ServiceAccount
from tests.support.smtp_server import Inbox, Mail, free_port, smtp_server

FORM = "https://docs.google.com/forms/d/e/1FAIpQLSdSelfServiceTest/viewform"
SECOND_KEY = "1SeLfSeRvIcEfOrMrEsPoNsEs0123456789abcdefGH"
HEADERS = ["Timestamp", "Token", "Action", "Corrected name", "Corrected title and organization"]
ENTRIES = {"entry.1001": 1, "entry.1002": 2, "entry.1003": 3, "entry.1004": 4}  # -> column
FROM = "campaign@letter.example"


@pytest.fixture()
def second_form(sheets_emulator: SheetsEmulator):
    book = sheets_emulator.add_spreadsheet(SECOND_KEY, "Your signature (Responses)", sheets=[])
    return book.add_sheet("Form Responses 1", [HEADERS], frozen_rows=1)


@pytest.fixture()
def env(service_account: ServiceAccount) -> dict[str, str]:
    return {"GOOGLE_APPLICATION_CREDENTIALS": str(service_account.path), "SIGNSYNC_SMTP_FROM": FROM}


def configure(site: Path, emulator: SheetsEmulator, port: int, extra: str = "") -> Path:
    cfg = site / "signsync.toml"
    cfg.write_text(
        cfg.read_text()
        + f"""
[self_service]
form_url = "{FORM}"
token_entry = "entry.1001"
action_entry = "entry.1002"
name_entry = "entry.1003"
affiliation_entry = "entry.1004"
source = "sheet"
spreadsheet = "{SECOND_KEY}"
statement_title = "the Open Letter"
smtp_host = "127.0.0.1"
smtp_port = {port}
smtp_security = "none"
{extra}
"""
    )
    text = cfg.read_text().replace("[source]\n", f'[source]\napi_endpoint = "{emulator.url}"\n', 1)
    cfg.write_text(text)
    return cfg


def addresses(site: Path) -> set[str]:
    with open(site / "responses.csv", encoding="utf-8") as fh:
        return {row["Email Address"].strip() for row in csv.DictReader(fh) if "@" in row["Email Address"]}


def registry(site: Path) -> dict[str, dict[str, str]]:
    with open(site / "signatories.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # An optional column (pin, note, confirmed) appears once an entry uses it.
    return {row["id"]: {"pin": "", "note": "", "confirmed": "", **row} for row in rows}


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
LINK = re.compile(r"https://docs\.google\.com/forms/\S+")


def links(mail: Mail) -> dict[str, str]:
    """The message's links by action (the form's answer pre-filled in entry.1002)."""
    out = {}
    for url in LINK.findall(mail.text):
        query = parse_qs(urlsplit(url).query)
        assert query["usp"] == ["pp_url"]
        out[query["entry.1002"][0].casefold()] = url
    return out


def submit(sheet, url: str, when: str, **changes: str) -> None:
    """What Google Forms records when the signer opens the pre-filled link, maybe edits a field,
    and presses Submit: a row with the timestamp and each question's answer."""
    assert url.startswith(FORM + "?")
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    row = [when, "", "", "", ""]
    for entry, column in ENTRIES.items():
        row[column] = query.get(entry, [""])[0]
    if "name" in changes:
        row[3] = changes["name"]
    if "affiliation" in changes:
        row[4] = changes["affiliation"]
    sheet.append_rows([row])


def written_files(site: Path) -> dict[str, str]:
    return {
        p.name: p.read_text(encoding="utf-8", errors="replace")
        for p in site.iterdir()
        if p.is_file() and p.name not in ("responses.csv", ".env")
    }


def assert_no_address(site: Path, outputs: list[str]) -> None:
    known = addresses(site)
    for name, text in written_files(site).items():
        for a in known:
            assert a.casefold() not in text.casefold(), (name, "holds an address")
    for out in outputs:
        for a in known:
            assert mailbox(a) not in out.casefold() and a.casefold() not in out.casefold()
        # Nor any other address: only the page's own contact line (in its diff) may show.
        assert set(EMAIL.findall(out)) <= {"statement@example.org"}, out


def page_text(site: Path) -> str:
    return re.sub(r"<[^>]+>", "", (site / "statement.html").read_text())


def mailbox(address: str) -> str:
    """One mailbox's address however it was typed (case, a +tag)."""
    local, _, domain = address.casefold().rpartition("@")
    return f"{local.split('+')[0]}@{domain}"


def mail_for(inbox: Inbox, address: str) -> Mail:
    found = [m for m in inbox.messages if [mailbox(t) for t in m.to] == [address]]
    assert len(found) == 1, (address, len(found))
    return found[0]


def test_new_signers_get_one_email_and_their_links_act_on_their_own_entry(
    site: Path, sheets_emulator: SheetsEmulator, second_form, smtp, env
) -> None:
    inbox, port = smtp
    cfg = configure(site, sheets_emulator, port)
    outputs = []
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    outputs += [r.out, r.err]
    assert r.code == 0, r.err
    entries = registry(site)
    expected = [
        s
        for s in entries.values()
        if s["email_keys"] and s["status"] in ("published", "pending") and "consent" not in s["reason"]
    ]
    assert len(inbox.messages) == len(expected) > 5
    assert len({tuple(m.to) for m in inbox.messages}) == len(inbox.messages)
    assert f"sent {len(expected)} signer email(s)" in r.err
    # Each message shows the entry as the page does, and all three links.
    amina = mail_for(inbox, "amina.yusuf@example.org")
    # Her second response (same address) gave another affiliation: the signer's latest is shown.
    assert "Amina Yusuf (University of Lagos)" in amina.text
    assert "Amina Yusuf (University of Lagos)" in page_text(site)
    assert amina.subject == "Your signature on the Open Letter"
    assert "on November 20, 2026." in amina.text and "(20 signatories)" in amina.text
    assert set(links(amina)) == {"confirm", "correct", "withdraw"}

    # A rerun sends nothing and changes nothing.
    before = written_files(site)
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    outputs += [r.out, r.err]
    assert r.code == 0 and len(inbox.messages) == len(expected)
    assert written_files(site) == before

    # Three signers use their links; one tries another's link with an altered token, one
    # invents a token, and one submits her withdrawal twice.
    ben = mail_for(inbox, "ben.chacko@example.net")
    jose = mail_for(inbox, "jose.garcia@example.com")
    gates = next(m for m in inbox.messages if "Bill Gates" in m.text)
    assert "waits for an editor's check" in gates.text
    submit(second_form, links(gates)["confirm"], "12/07/2026 09:59:00")
    submit(second_form, links(amina)["confirm"], "12/07/2026 10:00:00")
    submit(second_form, links(jose)["correct"], "12/07/2026 10:01:00", name="José Antonio García")
    submit(second_form, links(ben)["withdraw"], "12/07/2026 10:02:00")
    submit(second_form, links(ben)["withdraw"], "12/07/2026 10:03:00")
    altered = links(amina)["withdraw"].replace("=Withdraw", "=Confirm")
    assert altered != links(amina)["withdraw"]
    token = parse_qs(urlsplit(links(jose)["withdraw"]).query)["entry.1001"][0]
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    second_form.append_rows(
        [
            ["12/07/2026 10:04:00", flipped, "Withdraw", "", ""],
            ["12/07/2026 10:05:00", f"s-0000000000.{secrets.token_urlsafe(18)}", "Withdraw", "", ""],
        ]
    )
    submit(second_form, altered, "12/07/2026 10:06:00")

    r = run_cli("plan", "--config", str(cfg), env=env)
    outputs += [r.out, r.err]
    assert r.code == 2, r.err
    assert "self-service: 2 confirmed, 1 corrected, 1 withdrawn by their signers" in r.out
    assert "3 link(s) not valid (forged, altered or for another entry) and 1 used before" in r.out
    r = run_cli("plan", "--format", "markdown", "--config", str(cfg), env=env)
    outputs += [r.out, r.err]
    assert "### Confirmed or corrected by the signer (3)" in r.out
    assert "- José Antonio García (`" in r.out and "corrected by the signer: name 'José García'" in r.out
    assert "confirmed by the signer (institutional address)" in r.out
    r = run_cli("plan", "--format", "html", "--config", str(cfg), env=env)
    assert "<h2>Confirmed or corrected by the signer</h2>" in r.out
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    outputs += [r.out, r.err]
    assert r.code == 0, r.err
    # The famous name still waits for an editor, who now sees that its signer confirmed, and
    # from which kind of address.
    r = run_cli("plan", "--format", "markdown", "--config", str(cfg), env=env)
    outputs += [r.out, r.err]
    waiting = r.out[r.out.index("Bill Gates") :]
    assert "watch list: looks like Bill Gates; confirmed by the signer on 2026-12-07 from an" in waiting
    after = registry(site)
    by_name = {s["typed"]: s for s in after.values()}
    # Ben withdrew himself: kept private from then on, his name no longer in the registry
    ben_id = next(i for i, s in entries.items() if s["typed"] == "BEN CHACKO")
    assert after[ben_id]["name"] == "" and after[ben_id]["consent"] == "withdrawn"
    by_name["BEN CHACKO"] = after[ben_id]
    assert by_name["Amina Yusuf"]["confirmed"].endswith(" institutional")
    assert by_name["Amina Yusuf"]["status"] == "published"
    assert by_name["BEN CHACKO"]["status"] == "withdrawn"
    assert "signer withdraw" in by_name["BEN CHACKO"]["decided"]
    assert by_name["José García"]["name"] == "José Antonio García"
    assert by_name["José García"]["status"] == "published"
    page = page_text(site)
    assert "José Antonio García" in page and "Ben Chacko" not in page
    assert "19 signatories, 1 confirmed" in page  # Bill Gates confirmed, but is not on the page
    r = run_cli("review", "--all", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    amina_line = r.out.index(by_name["Amina Yusuf"]["id"])
    assert (
        "signer: confirmed by the signer on 2026-12-07 (from an institutional address)" in r.out[amina_line:]
    )
    # Only these three entries changed.
    changed = {sid for sid in after if after[sid] != entries[sid]}
    assert changed == {by_name[n]["id"] for n in ("Amina Yusuf", "BEN CHACKO", "José García", "Bill Gates")}
    assert by_name["Bill Gates"]["status"] == "pending"
    # The withdrawn signer cannot come back through a link, and nothing is sent again.
    submit(second_form, links(ben)["confirm"], "12/07/2026 11:00:00")
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    outputs += [r.out, r.err]
    assert r.code == 0, r.err
    assert registry(site)[by_name["BEN CHACKO"]["id"]]["status"] == "withdrawn"
    assert len(inbox.messages) == len(expected)
    assert_no_address(site, outputs)
    for m in inbox.messages:
        own = {t.casefold() for t in m.to}
        others = {a.casefold() for a in addresses(site)} - own
        assert not any(a in m.raw.casefold() for a in others)


def test_on_confirmation_publishes_only_what_its_signer_confirmed(
    site: Path, sheets_emulator: SheetsEmulator, second_form, smtp, env
) -> None:
    inbox, port = smtp
    cfg = configure(site, sheets_emulator, port, 'publish = "on_confirmation"')
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    page = (site / "statement.html").read_text()
    assert "Amina Yusuf" not in page
    amina = mail_for(inbox, "amina.yusuf@example.org")
    assert "once you confirm it" in amina.text
    held = {s["typed"]: s for s in registry(site).values()}
    assert held["Amina Yusuf"]["status"] == "pending"
    assert "waiting for the signer's confirmation" in held["Amina Yusuf"]["reason"]
    assert "no email address to confirm with" in held["alfred de zayas"]["reason"]
    # She answers the first form again with another spelling: still unconfirmed, still waiting.
    with open(site / "responses.csv", "a", encoding="utf-8") as fh:
        fh.write(
            '11/25/2026 10:00:00,amina.yusuf@example.org,Amina B. Yusuf,"Professor, Lagos",'
            "An individual,Yes,\n"
        )
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    again = {s["typed"]: s for s in registry(site).values()}["Amina Yusuf"]
    assert again["status"] == "pending" and "waiting for the signer's confirmation" in again["reason"]
    assert "Amina" not in page_text(site) and len(inbox.messages) == len({m.to[0] for m in inbox.messages})
    submit(second_form, links(amina)["confirm"], "12/07/2026 10:00:00")
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    assert "Amina B. Yusuf" in page_text(site)
    now = {s["typed"]: s for s in registry(site).values()}
    assert now["Amina Yusuf"]["status"] == "published"
    assert now["José García"]["status"] == "pending"


def test_caps_hold_per_run_and_per_day(
    site: Path, sheets_emulator: SheetsEmulator, second_form, smtp, env
) -> None:
    inbox, port = smtp
    cfg = configure(site, sheets_emulator, port, "max_per_run = 2\nmax_per_day = 5")
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    assert len(inbox.messages) == 2
    assert "wait for the next run ([self_service] max_per_run = 2)" in r.err
    for total in (4, 5, 5):
        r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
        assert r.code == 0, r.err
        assert len(inbox.messages) == total
    assert "max_per_day = 5" in r.err
    assert len({tuple(m.to) for m in inbox.messages}) == 5


@pytest.mark.parametrize("policy", ["at_once", "on_confirmation"])
def test_a_failing_smtp_server_changes_no_file_and_publishing_goes_on(
    tmp_path: Path, site: Path, sheets_emulator: SheetsEmulator, second_form, smtp, env, policy: str
) -> None:
    inbox, port = smtp
    dead = free_port()
    cfg = configure(site, sheets_emulator, dead, f'publish = "{policy}"')
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    assert "warning: no signer email sent: cannot reach the SMTP server" in r.err
    # Published, or waiting for confirmation, as the policy says.
    assert ("Amina Yusuf" in page_text(site)) is (policy == "at_once")
    assert not (site / "signatories.mail-sent.json").exists()
    # The same run with a server that works writes the same files, and its record of what it sent.
    twin = tmp_path / "twin"
    twin.mkdir()
    for name in ("responses.csv", ".env"):
        (twin / name).write_bytes((site / name).read_bytes())
    (twin / "statement.html").write_bytes((EXAMPLES / "statement.html").read_bytes())
    (twin / "signsync.toml").write_text(cfg.read_text().replace(f"smtp_port = {dead}", f"smtp_port = {port}"))
    r = run_cli("apply", "--yes", "--config", str(twin / "signsync.toml"), env=env)
    assert r.code == 0 and len(inbox.messages) > 5, r.err
    theirs = written_files(twin)
    assert theirs.pop("signatories.mail-sent.json")
    theirs.pop("signsync.toml")
    ours = written_files(site)
    ours.pop("signsync.toml")
    for files in (ours, theirs):  # the state records the config's digest (another port)
        state = json.loads(files["signatories.state.json"])
        state["applied"].pop("config")
        files["signatories.state.json"] = json.dumps(state)
    assert {n: t for n, t in ours.items() if ".page-backup." not in n} == {
        n: t for n, t in theirs.items() if ".page-backup." not in n
    }
    inbox.messages.clear()
    # A server that refuses every recipient for now: nothing recorded, all wait.
    inbox.fail = True
    cfg_text = cfg.read_text().replace(f"smtp_port = {dead}", f"smtp_port = {port}")
    cfg.write_text(cfg_text)
    files = written_files(site)
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    assert "signer email(s) not sent (the SMTP server refused the recipient (451))" in r.err
    assert not (site / "signatories.mail-sent.json").exists()
    assert written_files(site) == files
    inbox.fail = False
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    assert len(inbox.messages) > 5
    assert ("once you confirm it" in mail_for(inbox, "amina.yusuf@example.org").text) is (policy != "at_once")
    assert_no_address(site, [r.out, r.err])


def test_init_self_service_learns_the_entry_ids_and_doctor_checks_form_and_smtp(
    site: Path, sheets_emulator: SheetsEmulator, second_form, smtp, env
) -> None:
    inbox, port = smtp
    cfg = site / "signsync.toml"
    link = (
        "https://docs.google.com/forms/d/e/1FAIpQLSdSelfServiceTest/viewform?usp=pp_url"
        "&entry.555=name&entry.111=token&entry.999=affiliation&entry.222=Withdraw"
    )
    r = run_cli("init-self-service", link, "--config", str(cfg))
    assert r.code == 0, r.err
    text = cfg.read_text()
    for line in (
        f'form_url = "{FORM}"',
        'token_entry = "entry.111"',
        'action_entry = "entry.222"',
        'name_entry = "entry.555"',
        'affiliation_entry = "entry.999"',
    ):
        assert line in text
    # Set up the rest; run it again: the keys are replaced, not repeated.
    cfg.write_text(
        text
        + f'source = "sheet"\nspreadsheet = "{SECOND_KEY}"\nsmtp_host = "127.0.0.1"\n'
        + f'smtp_port = {port}\nsmtp_security = "none"\n'
    )
    cfg.write_text(
        cfg.read_text().replace("[source]\n", f'[source]\napi_endpoint = "{sheets_emulator.url}"\n', 1)
    )
    assert (
        run_cli("init-self-service", link.replace("entry.111", "entry.112"), "--config", str(cfg)).code == 0
    )
    assert cfg.read_text().count("token_entry") == 1 and 'token_entry = "entry.112"' in cfg.read_text()
    r = run_cli("doctor", "--config", str(cfg), env=env)
    assert r.code == 0, r.out + r.err
    assert "ok   self-service form: Google Sheet" in r.out
    assert "ok   smtp: 127.0.0.1:" in r.out
    # A renamed question and a server that is down: each a FAIL with its fix.
    with sheets_emulator.lock:
        second_form.set_rows(
            [["Timestamp", "Your token", "Action", "Corrected name", "Corrected title and organization"]]
        )
    r = run_cli("doctor", "--config", str(cfg), env=env)
    assert r.code == 1
    assert "FAIL self-service form:" in r.out and "no column 'Token' for [self_service] token_column" in r.out
    with sheets_emulator.lock:
        second_form.set_rows([HEADERS])
    cfg.write_text(cfg.read_text().replace(f"smtp_port = {port}", f"smtp_port = {free_port()}"))
    r = run_cli("doctor", "--config", str(cfg), env=env)
    assert r.code == 1 and "FAIL smtp: cannot reach the SMTP server" in r.out
    assert inbox.messages == []
    # Not a pre-filled link: one line saying how to get one.
    r = run_cli("init-self-service", "https://example.org/form", "--config", str(cfg))
    assert r.code == 1 and r.err.startswith("Error: that is not a Google Form's pre-filled link")


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the test trusts it through SSL_CERT_FILE)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_login_over_tls_with_the_credentials_from_the_environment(
    tmp_path: Path, site: Path, sheets_emulator: SheetsEmulator, second_form, env, security: str
) -> None:
    import ssl

    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server, session, envelope, mechanism, auth_data):  # aiosmtpd's signature
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login, auth_data.password))
        # handled=False: aiosmtpd answers 535 itself when the password is wrong.
        return AuthResult(success=auth_data.password == b"app-password", handled=False)

    # With implicit TLS (ssl_context) aiosmtpd does not count the connection as TLS for AUTH.
    tls: dict[str, object] = (
        {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
        if security == "starttls"
        else {"ssl_context": context, "auth_require_tls": False}
    )
    with smtp_server(authenticator=authenticator, **tls) as (inbox, port):
        cfg = configure(site, sheets_emulator, port)
        cfg.write_text(cfg.read_text().replace('smtp_security = "none"', f'smtp_security = "{security}"'))
        secrets_env = {
            **env,
            "SSL_CERT_FILE": str(cert),
            "SIGNSYNC_SMTP_USER": "campaign-login",
            "SIGNSYNC_SMTP_PASSWORD": "wrong",
        }
        r = run_cli("apply", "--yes", "--config", str(cfg), env=secrets_env)
        assert r.code == 0, r.err
        assert "warning: no signer email sent: the SMTP login was refused (535)" in r.err
        assert "wrong" not in r.err and inbox.messages == []
        r = run_cli(
            "doctor", "--config", str(cfg), env={**secrets_env, "SIGNSYNC_SMTP_PASSWORD": "app-password"}
        )
        assert f"ok   smtp: 127.0.0.1:{port} ({security})" in r.out, r.out
        r = run_cli(
            "apply",
            "--yes",
            "--config",
            str(cfg),
            env={**secrets_env, "SIGNSYNC_SMTP_PASSWORD": "app-password"},
        )
        assert r.code == 0, r.err
        assert len(inbox.messages) > 5 and logins[-1] == (b"campaign-login", b"app-password")


def test_a_saved_plan_applied_later_finds_the_addresses_again_and_a_csv_second_form(
    site: Path, smtp, sheets_emulator: SheetsEmulator
) -> None:
    inbox, port = smtp
    cfg = configure(site, sheets_emulator, port)
    cfg.write_text(
        cfg.read_text()
        .replace('source = "sheet"\n', 'source = "csv"\npath = "your-signature.csv"\n')
        .replace(f'spreadsheet = "{SECOND_KEY}"\n', "")
    )
    second = site / "your-signature.csv"
    second.write_text(",".join(HEADERS) + "\n", encoding="utf-8")
    env = {"SIGNSYNC_SMTP_FROM": FROM}
    r = run_cli("plan", "--out", str(site / "p.json"), "--config", str(cfg), env=env)
    assert r.code == 2, r.err
    assert "new signer(s) will be emailed their links after apply" in r.out
    assert inbox.messages == []  # plan never sends
    # The saved plan holds the page (its contact line) and hashes, no signer's address.
    assert set(EMAIL.findall((site / "p.json").read_text())) == {"statement@example.org"}
    r = run_cli("apply", str(site / "p.json"), "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    sent = len(inbox.messages)
    assert sent > 5
    amina = mail_for(inbox, "amina.yusuf@example.org")
    # "Download responses (.csv)" of the second form after the signer pressed Submit.
    url = links(amina)["withdraw"]
    query = parse_qs(urlsplit(url).query)
    with open(second, "a", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerow(["2026/12/07 10:00:00 AM GMT", query["entry.1001"][0], "Withdraw", "", ""])
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    # Amina withdrew: kept private, her name gone from the registry
    assert "Amina" not in (site / "signatories.csv").read_text(encoding="utf-8")
    assert [s["status"] for s in registry(site).values() if s.get("consent") == "withdrawn"] == ["withdrawn"]
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0 and "Nothing to change." in r.err
    assert len(inbox.messages) == sent


def test_apply_without_email_leaves_the_sending_to_email_signers(
    site: Path, smtp, sheets_emulator: SheetsEmulator, second_form, env
) -> None:
    inbox, port = smtp
    cfg = configure(site, sheets_emulator, port)
    r = run_cli("apply", "--yes", "--no-email", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    assert inbox.messages == [] and not (site / "signatories.mail-sent.json").exists()
    r = run_cli("email-signers", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    sent = len(inbox.messages)
    assert sent > 5 and f"sent {sent} signer email(s)" in r.err
    r = run_cli("email-signers", "--config", str(cfg), env=env)
    assert r.code == 0 and r.err == "No signer waits for an email.\n"
    assert len(inbox.messages) == sent


def test_the_email_speaks_the_page_language_and_the_campaign_can_reword_it(
    site: Path, smtp, sheets_emulator: SheetsEmulator, second_form, env
) -> None:
    inbox, port = smtp
    cfg = configure(site, sheets_emulator, port)
    cfg.write_text(
        cfg.read_text().replace(
            '[page]\npath = "statement.html"\n', '[page]\npath = "statement.html"\nlanguage = "es"\n'
        )
    )
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    amina = mail_for(inbox, "amina.yusuf@example.org")
    assert amina.subject == "Su firma en the Open Letter"
    assert "el 20 de noviembre de 2026" in amina.text and "(20 firmantes)" in amina.text
    assert set(links(amina)) == {"confirm", "correct", "withdraw"}
    # The campaign's own words, from its folder; a mistake in them is one line, nothing sent.
    own = site / "mail"
    own.mkdir()
    (own / "signer-email.es.txt.j2").write_text(
        "Subject: Gracias, {{ letter.entry }}\n\n{{ letter.withdraw_link }}\n{{ letter.nope }}\n"
    )
    cfg.write_text(cfg.read_text() + 'templates = "mail"\n')
    with open(site / "responses.csv", "a", encoding="utf-8") as fh:
        fh.write("11/26/2026 09:00:00,nadia@example.org,Nadia Haddad,Poet,An individual,Yes,\n")
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0 and "Nadia Haddad" in page_text(site)  # the signature goes ahead
    problem = (
        "the signer email template signer-email.es.txt.j2: "
        "'render.signer_email.SignerLetter object' has no attribute 'nope'"
    )
    assert f"warning: no signer email sent: {problem}" in r.err
    r = run_cli("doctor", "--config", str(cfg), env=env)
    assert r.code == 1 and f"FAIL email template: {problem}" in r.out
    (own / "signer-email.es.txt.j2").write_text(
        "Subject: Gracias, {{ letter.entry }}\n\n{{ letter.withdraw_link }}\n"
    )
    r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
    assert r.code == 0, r.err
    nadia = mail_for(inbox, "nadia@example.org")
    assert nadia.subject == "Gracias, Nadia Haddad (Poet)" and set(links(nadia)) == {"withdraw"}


@pytest.mark.parametrize("policy", ["publish", "review"])
def test_a_corrected_affiliation_follows_the_re_submission_rule(
    site: Path, sheets_emulator: SheetsEmulator, second_form, smtp, env, policy: str
) -> None:
    """A signer's correction is judged as a re-submission is: an affiliation the names engine
    would hold is not used on a published entry; under policy = "review" a new one waits for an
    editor's approval."""
    inbox, port = smtp
    cfg = configure(site, sheets_emulator, port, f'\n[names]\npolicy = "{policy}"\n')
    assert run_cli("apply", "--yes", "--config", str(cfg), env=env).code == 0
    jose = next(s for s in registry(site).values() if s["name"] == "José García")
    if policy == "review":
        assert jose["status"] == "pending"
        assert run_cli("approve", jose["id"], "--config", str(cfg)).code == 0
        assert run_cli("apply", "--yes", "--config", str(cfg), env=env).code == 0
    assert "José García (Nurse, Hospital Clínic)" in page_text(site)
    link = links(mail_for(inbox, "jose.garcia@example.com"))["correct"]
    if policy == "publish":
        submit(second_form, link, "12/07/2026 10:01:00", affiliation="Nurse, call me on +34 600 123 456")
        r = run_cli("apply", "--yes", "--config", str(cfg), env=env)
        assert r.code == 0, r.err
        said = r.out + r.err
        assert f"{jose['id']}: the signer's new affiliation 'Nurse, call me on" in said
        assert "(the response would be held: phone number in the affiliation (removed)) was not used" in said
        assert "600 123" not in said
        assert registry(site)[jose["id"]]["affiliation"] == "Nurse, Hospital Clínic"
        assert "José García (Nurse, Hospital Clínic)" in page_text(site)
        return
    submit(second_form, link, "12/07/2026 10:01:00", affiliation="Head nurse, Hospital del Mar")
    r = run_cli("plan", "--config", str(cfg), env=env)
    assert (
        "corrected by the signer: affiliation 'Nurse, Hospital Clínic' -> 'Head nurse, Hospital del Mar'; "
        "held: policy: a changed name or affiliation waits for approval (on the page as 'José García' "
        "(Nurse, Hospital Clínic) until now)"
    ) in r.out
    assert run_cli("apply", "--yes", "--config", str(cfg), env=env).code == 0
    entry = registry(site)[jose["id"]]
    assert (entry["status"], entry["affiliation"]) == ("pending", "Head nurse, Hospital del Mar")
    assert "José García" not in page_text(site)
    assert run_cli("approve", jose["id"], "--config", str(cfg)).code == 0
    assert run_cli("apply", "--yes", "--config", str(cfg), env=env).code == 0
    assert "José García (Head nurse, Hospital del Mar)" in page_text(site)
