"""``copa serve`` (the web app under gunicorn) and ``copa manage`` (Django's commands)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from copa.cli import app


def _setup(data: Path | None) -> Path:
    """Point Django at the data folder (and its own secret key), and set it up."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "copa.web.settings")
    if data is not None:
        os.environ["COPA_DATA"] = str(data)
    import secrets

    from copa.web.settings import data_dir

    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if os.environ.get("COPA_ENV") != "production" and not os.environ.get("COPA_SECRET_KEY"):
        key_file = folder / "secret_key"
        if not key_file.exists():
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(50))
        os.environ["COPA_SECRET_KEY"] = key_file.read_text().strip()
    import django

    django.setup()
    return folder


def first_start(out: Any = print) -> tuple[str, str] | None:
    """Migrate; on an empty database load 2011 and create the administrator.

    Returns (user, password) when the administrator was just created.
    """
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    import secrets

    from copa.web.models import Season

    if not Season.objects.exists():
        call_command("loadseason", "2011", verbosity=0)
    users = get_user_model()
    if users.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(12)
    users.objects.create_superuser("admin", "", password)
    return "admin", password


@app.command()
def serve(
    port: int = typer.Option(8000, help="port to listen on"),
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    data: Annotated[
        Path | None, typer.Option(help="data folder (default: a per-user folder)")
    ] = None,
    workers: int = typer.Option(2, help="gunicorn worker processes"),
) -> None:
    """Run the web app (public site and back office) under gunicorn."""
    folder = _setup(data)
    from django.core.management import call_command

    created = first_start()
    call_command("collectstatic", interactive=False, verbosity=0)
    address = f"http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{port}/"
    print(f"copa is serving {address}  (data: {folder})")
    print(f"  public site: {address}2011/   back office: {address}office/")
    if created:
        print(f"  administrator: user {created[0]}  password {created[1]}  (shown once)")
    sys.stdout.flush()
    from copa.web import forecasting

    # the first season's forecast is stored before gunicorn forks its workers, so no
    # worker starts with a lock held by the background thread
    forecasting.wait(600)
    from gunicorn.app.base import BaseApplication

    from copa.web.wsgi import application

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", None)
            self.cfg.set("loglevel", "warning")
            self.cfg.set("timeout", 60)

        def load(self) -> Any:
            return application

    Server().run()


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def manage(
    ctx: typer.Context,
    data: Annotated[
        Path | None, typer.Option(help="data folder (default: a per-user folder)")
    ] = None,
) -> None:
    """Django's management commands: migrate, createsuperuser, check --deploy, loadseason FILE."""
    _setup(data)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["copa manage", *ctx.args])
