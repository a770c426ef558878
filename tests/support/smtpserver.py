#!/usr/bin/python3
"""A real SMTP server for the email notifier's tests (aiosmtpd).

Listens on 127.0.0.1 on a port the OS chooses and prints {"port": N} on stdout when it accepts
connections. With --cert and --key it offers STARTTLS and requires it before anything else (and
before AUTH); with --user and --password it accepts AUTH PLAIN and LOGIN for that one user and
refuses mail from anyone who has not logged in. Each message received is written to --dir as
N.eml (the raw bytes) and N.json: the envelope, whether the session was TLS, who logged in, and
the message parsed by Python's email package (headers decoded, body decoded).

Stopped with SIGTERM.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Recorder:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, str(self.count))
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "auth_user": session.auth_data.login.decode()
            if isinstance(session.auth_data, LoginPassword)
            else None,
            "subject": str(message["subject"]),
            "from": str(message["from"]),
            "to": str(message["to"]),
            "date": str(message["date"]),
            "date_epoch": int(message["date"].datetime.timestamp())
            if message["date"] is not None
            else None,
            "message_id": str(message["message-id"]),
            "content_type": message.get_content_type(),
            "charset": message.get_content_charset(),
            "transfer_encoding": str(message["content-transfer-encoding"]),
            "body": body.get_content() if body is not None else None,
        }
        # The .json is written last, under a temporary name: its presence means "complete".
        with open(base + ".eml", "wb") as f:
            f.write(raw)
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.replace(base + ".json.tmp", base + ".json")
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()

    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    def authenticate(server, session, envelope, mechanism, data):
        ok = (
            isinstance(data, LoginPassword)
            and data.login.decode() == args.user
            and data.password.decode() == args.password
        )
        if not ok:
            # Not handled here: aiosmtpd answers 535 itself.
            return AuthResult(success=False, handled=False)
        return AuthResult(success=True, auth_data=data)

    handler = Recorder(args.dir)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def factory():
        return SMTP(
            handler,
            hostname="rewind-test-smtp",
            tls_context=context,
            require_starttls=context is not None,
            auth_require_tls=True,
            auth_required=args.user is not None,
            authenticator=authenticate if args.user is not None else None,
            loop=loop,
        )

    server = loop.run_until_complete(loop.create_server(factory, host="127.0.0.1", port=0))
    port = server.sockets[0].getsockname()[1]
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    print(json.dumps({"port": port}), flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
