"""A throwaway WordPress for the tests: real MariaDB, real PHP, real REST API, all on 127.0.0.1.

Needs Debian's packages (`bash .ci/system-deps` installs them): wordpress, php-cli, php-mysql,
mariadb-server and friends. Start-up, roughly:

1. `mariadb-install-db` into a temporary data folder; `mariadbd` on a free port with its own socket,
   pid file and temp folder (several test sessions run at once on one machine: nothing is shared,
   a port taken in between is picked again; a failure's error carries mariadb-install-db's output);
2. a copy of /usr/share/wordpress with our own wp-config.php (Debian's reads /etc/wordpress, which
   we neither need nor touch): DB on 127.0.0.1:PORT, environment type `local` (so application
   passwords work over plain HTTP), external HTTP blocked, cron and auto-updates off;
3. a PHP script that calls `wp_install`, creates users with application passwords and a page whose
   content holds a Custom HTML block with the signatory markers between other paragraphs;
4. `php -S 127.0.0.1:PORT` serves it; `stop()` ends both servers and removes the folder.

Pretty permalinks are off: the REST API answers at `/?rest_route=/wp/v2/...`.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

WORDPRESS_DIR = Path("/usr/share/wordpress")
PROGRAMS = ("mariadb-install-db", "mariadbd", "mariadb", "php")

SETUP_HINT = (
    "run `bash .ci/system-deps` as root (it installs wordpress php-cli php-mysql mariadb-server "
    "php-curl php-xml php-mbstring php-intl from Debian)"
)

# The page the tests start from: a Custom HTML block holds the markers, paragraphs around it.
INITIAL_CONTENT = """\
<!-- wp:paragraph -->
<p>We, the undersigned, ask for <em>clean</em> rivers &amp; open data.</p>
<!-- /wp:paragraph -->

<!-- wp:html -->
<!-- signatories:start -->
<ul class="signatories">
<li>Ada Lovelace</li>
</ul>
<!-- signatories:end -->
<!-- /wp:html -->

<!-- wp:paragraph -->
<p>Questions? Write to the organisers. Ünïcödé stays as it is.</p>
<!-- /wp:paragraph -->
"""

SETUP_PHP = r"""<?php
// Install WordPress, make the test users and the statement page; print what the tests need.
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = $argv[1];
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['REQUEST_METHOD'] = 'GET';
require __DIR__ . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-includes/class-wp-application-passwords.php';

$install = wp_install('signsync test', 'admin', 'admin@example.invalid', false, '', 'admin-pass');
$out = array('admin_id' => $install['user_id']);

// Each user's login password is its name + "-pass" (the browser tests log in to wp-admin).
function app_user($login, $role, $rich_editing = 'true') {
    $id = wp_insert_user(array(
        'user_login' => $login, 'user_pass' => $login . '-pass',
        'user_email' => $login . '@example.invalid', 'role' => $role,
        'rich_editing' => $rich_editing,
    ));
    if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message()); exit(1); }
    // No "Welcome to the block editor" guide over the page on the first visit.
    update_user_meta($id, $GLOBALS['wpdb']->get_blog_prefix() . 'persisted_preferences', array(
        'core/edit-post' => array('welcomeGuide' => false), '_modified' => gmdate('c'),
    ));
    $made = WP_Application_Passwords::create_new_application_password(
        $id, array('name' => 'signsync'));
    if (is_wp_error($made)) { fwrite(STDERR, $made->get_error_message()); exit(1); }
    return array('login' => $login, 'id' => $id, 'app_password' => $made[0]);
}
$out['editor'] = app_user('signsync-editor', 'editor');
$out['subscriber'] = app_user('signsync-reader', 'subscriber');
// May edit pages but not post unfiltered HTML, so WordPress's HTML filter runs on its saves.
add_role('page-writer', 'Page writer', array(
    'read' => true, 'edit_pages' => true, 'edit_others_pages' => true,
    'edit_published_pages' => true, 'publish_pages' => true,
));
$out['writer'] = app_user('signsync-writer', 'page-writer');
// Edits in the classic editor's plain-text mode (Profile: "Disable the visual editor").
$out['classic'] = app_user('signsync-classic', 'editor', 'false');

wp_set_current_user($out['editor']['id']);
$page = wp_insert_post(array(
    'post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Statement',
    'post_content' => wp_slash(file_get_contents($argv[2])),
    'post_author' => $out['editor']['id'],
), true);
if (is_wp_error($page)) { fwrite(STDERR, $page->get_error_message()); exit(1); }
$out['page_id'] = $page;
echo json_encode($out);
"""

# The classic editor ships in core (the Classic Editor plugin only switches it on): pages of the
# user signsync-classic open in it, everyone else's in the block editor.
MU_PLUGIN_PHP = r"""<?php
add_filter('use_block_editor_for_post', function ($use, $post) {
    $user = wp_get_current_user();
    return ($user && $user->user_login === 'signsync-classic') ? false : $use;
}, 10, 2);
"""


@dataclass(frozen=True, slots=True)
class AppUser:
    """A WordPress user, its application password (REST) and its login password (wp-admin)."""

    login: str
    app_password: str

    @property
    def password(self) -> str:
        return f"{self.login}-pass"


@dataclass(frozen=True, slots=True)
class WordPressSite:
    """What the tests get: where the site answers, the page, and users to log in with."""

    url: str  # http://127.0.0.1:PORT
    page_id: int
    editor: AppUser  # role Editor: may edit pages
    subscriber: AppUser  # role Subscriber: may not
    writer: AppUser  # may edit pages, but WordPress filters its HTML (no unfiltered_html)
    classic: AppUser  # an Editor whose pages open in the classic editor, plain-text mode
    initial_content: str

    def rest(self, route: str) -> str:
        """The URL of a REST route, e.g. rest('/wp/v2/pages/5')."""
        return f"{self.url}/?rest_route={route}"

    def page_url(self) -> str:
        return self.rest(f"/wp/v2/pages/{self.page_id}")


def missing_requirements() -> str | None:
    """Say what is missing to run WordPress here, or None when all is present."""
    missing = [p for p in PROGRAMS if shutil.which(p) is None]
    if not (WORDPRESS_DIR / "wp-settings.php").is_file():
        missing.append(str(WORDPRESS_DIR))
    if not missing:
        probe = subprocess.run(
            ["php", "-r", "exit(function_exists('mysqli_connect') ? 0 : 1);"],
            capture_output=True,
        )
        if probe.returncode != 0:
            missing.append("php-mysql (the mysqli extension)")
    return ", ".join(missing) or None


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until(check, what: str, timeout: float, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        if check():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not start within {timeout} s:\n{log.read_text()[-3000:]}")


def _port_taken(log: Path) -> bool:
    """The server's log says its port was taken (by another process, since it was picked)."""
    text = log.read_text(errors="replace") if log.exists() else ""
    return "Address already in use" in text or "Bind on TCP/IP port" in text


def _install_report(
    command: list[str], done: subprocess.CompletedProcess[str] | subprocess.TimeoutExpired, datadir: Path
) -> str:
    """What mariadb-install-db said, for its error: the command, its own output and the server's
    error logs it points at (the folder is removed right after)."""

    def text(out: str | bytes | None) -> str:
        return (out.decode(errors="replace") if isinstance(out, bytes) else out or "").strip() or "(nothing)"

    parts = [
        "command: " + " ".join(command),
        "stdout:\n" + text(done.stdout),
        "stderr:\n" + text(done.stderr),
    ]
    for err_log in sorted(datadir.glob("*.err")) if datadir.is_dir() else ():
        parts.append(f"{err_log.name}:\n" + err_log.read_text(errors="replace")[-3000:])
    return "\n".join(parts)


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class WordPressServer:
    """Start with `start()` (returns a WordPressSite), end with `stop()`; or use `with`."""

    def __init__(self) -> None:
        # A Unix socket's path holds at most 107 bytes: under a long TMPDIR, /tmp.
        short = len(tempfile.gettempdir()) > 60 and Path("/tmp").is_dir()
        self.root = Path(tempfile.mkdtemp(prefix="signsync-wp-", dir="/tmp" if short else None))
        self._procs: list[subprocess.Popen[bytes]] = []
        self.site: WordPressSite | None = None
        self.startup_seconds: float | None = None

    def __enter__(self) -> WordPressSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _spawn(self, args: list[str], log: Path, **kwargs) -> subprocess.Popen[bytes]:
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                args,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                **kwargs,
            )
        self._procs.append(proc)
        return proc

    def start(self) -> WordPressSite:
        """Start MariaDB and WordPress; install the site. Raises RuntimeError with the logs."""
        began = time.monotonic()
        try:
            db_port = self._start_database()
            # Held (bound, not listening) while WordPress installs, so that no other process on
            # the machine is given it in the seconds before `php -S` binds it.
            web = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                web.bind(("127.0.0.1", 0))
                web_port = int(web.getsockname()[1])
                url = f"http://127.0.0.1:{web_port}"
                setup = self._install_wordpress(db_port, url)
            finally:
                web.close()
            self._start_web(web_port, url)
        except BaseException:
            self.stop()
            raise
        self.site = WordPressSite(
            url=url,
            page_id=int(setup["page_id"]),
            editor=AppUser(setup["editor"]["login"], setup["editor"]["app_password"]),
            subscriber=AppUser(setup["subscriber"]["login"], setup["subscriber"]["app_password"]),
            writer=AppUser(setup["writer"]["login"], setup["writer"]["app_password"]),
            classic=AppUser(setup["classic"]["login"], setup["classic"]["app_password"]),
            initial_content=INITIAL_CONTENT,
        )
        self.startup_seconds = time.monotonic() - began
        return self.site

    def _start_database(self) -> int:
        datadir = self.root / "db"
        user = ["--user=root"] if os.geteuid() == 0 else []
        self.db_socket = self.root / "mysqld.sock"
        # Everything the server touches is in this run's own folder, never a path another test
        # session on the machine (or the system's MariaDB) uses: the socket, pid file and temp
        # files; no TCP port while installing (--skip-networking). InnoDB without Linux native AIO:
        # each server takes AIO contexts from a machine-wide limit (fs.aio-max-nr) that parallel
        # sessions exhaust, and then the bootstrap fails; small buffers for a machine running
        # several at once.
        tmpdir = self.root / "tmp"
        tmpdir.mkdir(exist_ok=True)
        server_options = [
            "--skip-name-resolve",
            "--skip-log-bin",
            "--skip-performance-schema",
            f"--tmpdir={tmpdir}",
            f"--pid-file={self.root}/mysqld.pid",
            "--innodb-use-native-aio=0",
            "--innodb-buffer-pool-size=32M",
            "--innodb-flush-log-at-trx-commit=0",
            "--innodb-log-file-size=8M",
            *user,
        ]
        install = [
            "mariadb-install-db",
            "--no-defaults",
            f"--datadir={datadir}",
            "--skip-test-db",
            "--auth-root-authentication-method=normal",
            # passed on to `mariadbd --bootstrap`:
            "--skip-networking",
            f"--socket={self.db_socket}",
            *server_options,
        ]
        try:
            init = subprocess.run(install, capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired as e:
            raise RuntimeError(
                "mariadb-install-db did not finish within 600 s:\n" + _install_report(install, e, datadir)
            ) from None
        if init.returncode != 0:
            raise RuntimeError(
                f"mariadb-install-db failed (exit {init.returncode}):\n"
                + _install_report(install, init, datadir)
            )
        log = self.root / "mariadbd.log"
        # The port is picked free, then bound by mariadbd: another session may take it in between.
        for attempt in range(5):
            port = free_port()
            proc = self._spawn(
                [
                    "mariadbd",
                    "--no-defaults",
                    f"--datadir={datadir}",
                    f"--socket={self.db_socket}",
                    f"--port={port}",
                    "--bind-address=127.0.0.1",
                    *server_options,
                ],
                log,
            )
            try:
                _wait_until(
                    lambda port=port: self.db_socket.exists() and _port_open(port), "mariadbd", 120, proc, log
                )
                break
            except RuntimeError:
                if attempt == 4 or not _port_taken(log):
                    raise
                self._procs.remove(proc)
                self.db_socket.unlink(missing_ok=True)
        sql = (
            "CREATE DATABASE wordpress CHARACTER SET utf8mb4; "
            "CREATE USER 'wp'@'127.0.0.1' IDENTIFIED BY 'wp-pass'; "
            "GRANT ALL ON wordpress.* TO 'wp'@'127.0.0.1';"
        )
        made = subprocess.run(
            ["mariadb", "--no-defaults", f"--socket={self.db_socket}", "-uroot", "-e", sql],
            capture_output=True,
            text=True,
        )
        if made.returncode != 0:
            raise RuntimeError(f"creating the database failed:\n{made.stderr}")
        return port

    def _install_wordpress(self, db_port: int, url: str) -> dict:
        docroot = self.root / "wordpress"
        shutil.copytree(
            WORDPRESS_DIR,
            docroot,
            symlinks=True,
            ignore=shutil.ignore_patterns("wp-config.php", ".htaccess"),
        )
        (docroot / "wp-content" / "uploads").mkdir(exist_ok=True)
        salts = "\n".join(
            f"define('{k}', '{os.urandom(24).hex()}');"
            for k in (
                "AUTH_KEY",
                "SECURE_AUTH_KEY",
                "LOGGED_IN_KEY",
                "NONCE_KEY",
                "AUTH_SALT",
                "SECURE_AUTH_SALT",
                "LOGGED_IN_SALT",
                "NONCE_SALT",
            )
        )
        (docroot / "wp-config.php").write_text(
            f"""<?php
// Written by tests/support/wordpress_server.py: a throwaway site, nothing from /etc/wordpress.
define('DB_NAME', 'wordpress');
define('DB_USER', 'wp');
define('DB_PASSWORD', 'wp-pass');
define('DB_HOST', '127.0.0.1:{db_port}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
{salts}
$table_prefix = 'wp_';
define('WP_HOME', '{url}');
define('WP_SITEURL', '{url}');
define('WP_CONTENT_DIR', __DIR__ . '/wp-content');
define('WP_ENVIRONMENT_TYPE', 'local');   // application passwords over plain HTTP
define('WP_HTTP_BLOCK_EXTERNAL', true);   // no calls home: the machine is offline
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('WP_DEBUG', false);
if (!defined('ABSPATH')) {{
    define('ABSPATH', __DIR__ . '/');
}}
require_once ABSPATH . 'wp-settings.php';
""",
            encoding="utf-8",
        )
        mu_plugins = docroot / "wp-content" / "mu-plugins"
        mu_plugins.mkdir(exist_ok=True)
        (mu_plugins / "signsync-test.php").write_text(MU_PLUGIN_PHP, encoding="utf-8")
        (docroot / "signsync-setup.php").write_text(SETUP_PHP, encoding="utf-8")
        content_file = self.root / "initial-content.html"
        content_file.write_text(INITIAL_CONTENT, encoding="utf-8")
        host = url.removeprefix("http://")
        done = subprocess.run(
            ["php", str(docroot / "signsync-setup.php"), host, str(content_file)],
            capture_output=True,
            text=True,
            cwd=docroot,
            timeout=120,
        )
        (docroot / "signsync-setup.php").unlink()
        if done.returncode != 0:
            raise RuntimeError(f"WordPress set-up failed:\n{done.stdout}\n{done.stderr}")
        # PHP may print notices before the JSON; the JSON is the last line.
        return json.loads(done.stdout.strip().splitlines()[-1])

    def _start_web(self, port: int, url: str) -> None:
        docroot = self.root / "wordpress"
        log = self.root / "php-server.log"
        # Several workers: the editors load dozens of scripts and styles at once.
        proc = self._spawn(
            ["php", "-S", f"127.0.0.1:{port}", "-t", str(docroot)],
            log,
            cwd=docroot,
            env={**os.environ, "PHP_CLI_SERVER_WORKERS": "4"},
        )

        def answers() -> bool:
            try:
                return requests.get(f"{url}/?rest_route=/", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        _wait_until(answers, "php -S", 30, proc, log)

    def stop(self) -> None:
        """End both servers (their whole process groups) and remove the temporary folder."""
        for proc in reversed(self._procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=5)
        self._procs.clear()
        shutil.rmtree(self.root, ignore_errors=True)


if __name__ == "__main__":  # python tests/support/wordpress_server.py: start, show, wait for Enter, stop
    problem = missing_requirements()
    if problem:
        raise SystemExit(f"missing: {problem}; {SETUP_HINT}")
    with WordPressServer() as site:
        print(site)
        input("WordPress is running; press Enter to stop it. ")
