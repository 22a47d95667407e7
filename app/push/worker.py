"""The push worker's round: the only place that commits between sends, so a crash halfway
loses no record of what was sent (the CLI `flask push worker` calls it in a loop)."""
from flask import Flask

from app.extensions import db
from app.push import services
from app.push.services import NotConfigured, Report

__all__ = ["NotConfigured", "run_once"]


def run_once(app: Flask, limit: int = 100) -> Report:
    config = app.config
    keys = services.keys(config, app.instance_path)
    if keys is None:
        raise NotConfigured("vapid")
    subject = config["VAPID_SUBJECT"]
    hosts = config["PUSH_ALLOWED_HOSTS"]
    loopback = config["PUSH_ALLOW_LOOPBACK"]
    report = Report()
    services.expire_unconfirmed(config["PUSH_CONFIRM_MONTHS"])
    db.session.commit()
    while True:
        claimed = services.claim_due(limit=limit)
        db.session.commit()  # the leases hold before anything is sent
        for job_id in claimed:
            try:
                report.add(services.deliver(job_id, keys, subject, allowed_hosts=hosts,
                                            allow_loopback=loopback))
                db.session.commit()
            except Exception:
                db.session.rollback()  # the lease runs out and the job is tried again
                app.logger.exception("push job %s", job_id)
                report.errors.append(f"job {job_id}: error, will be retried")
        if len(claimed) < limit:
            return report
