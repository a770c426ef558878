#include "emailnotifier.h"

#include "executors/template.h"
#include "smtpclient.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QUrl>

namespace rwd::notify {

namespace {

constexpr qsizetype kMaxSubjectChars = 200;
constexpr qsizetype kQuotedPrintableLine = 76;
constexpr qsizetype kMaxLineBytes = 998; // RFC 5322

const QRegularExpression &bareAddress()
{
    static const QRegularExpression pattern(QStringLiteral("^[^\\s@<>,;\"]+@[^\\s@<>,;\"]+$"));
    return pattern;
}

// "Name <address>" or "address"; never a line break (that would add headers).
bool isMailbox(const QString &mailbox)
{
    if (mailbox.contains(u'\r') || mailbox.contains(u'\n'))
        return false;
    return bareAddress().match(EmailNotifier::address(mailbox)).hasMatch();
}

bool isAscii(const QByteArray &bytes)
{
    return std::all_of(bytes.cbegin(), bytes.cend(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// A header value: as it is when it is ASCII, otherwise RFC 2047 encoded words (base64 of UTF-8,
// never splitting a character), folded onto continuation lines.
QByteArray headerText(const QString &text)
{
    QByteArray utf8 = text.toUtf8();
    if (isAscii(utf8))
        return utf8;
    QByteArray out;
    QByteArray chunk;
    const auto flush = [&] {
        if (chunk.isEmpty())
            return;
        if (!out.isEmpty())
            out += "\r\n ";
        out += "=?UTF-8?B?" + chunk.toBase64() + "?=";
        chunk.clear();
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        QString character(text.at(i));
        if (text.at(i).isHighSurrogate() && i + 1 < text.size())
            character += text.at(++i);
        const QByteArray bytes = character.toUtf8();
        if (chunk.size() + bytes.size() > 45) // 60 base64 characters per encoded word
            flush();
        chunk += bytes;
    }
    flush();
    return out;
}

// "Name <address>": the name encoded when it is not ASCII, quoted when it has characters with a
// meaning in addresses ("Doe, Jane").
QByteArray mailboxHeader(const QString &mailbox)
{
    const auto open = mailbox.lastIndexOf(u'<');
    if (open <= 0)
        return mailbox.trimmed().toUtf8();
    QString name = mailbox.left(open).trimmed();
    const QByteArray address = mailbox.mid(open).trimmed().toUtf8();
    if (name.size() >= 2 && name.startsWith(u'"') && name.endsWith(u'"'))
        name = name.mid(1, name.size() - 2)
                   .replace(QStringLiteral("\\\""), QStringLiteral("\""))
                   .replace(QStringLiteral("\\\\"), QStringLiteral("\\"));
    const QByteArray utf8 = name.toUtf8();
    if (!isAscii(utf8))
        return headerText(name) + " " + address;
    static const QByteArray specials = "()<>[]:;@\\,.\"";
    if (std::any_of(utf8.cbegin(), utf8.cend(), [](char c) { return specials.contains(c); })) {
        QByteArray quoted = utf8;
        quoted.replace("\\", "\\\\").replace("\"", "\\\"");
        return '"' + quoted + "\" " + address;
    }
    return utf8 + " " + address;
}

// Quoted-printable (RFC 2045) of one line without its line end.
QByteArray quotedPrintable(const QByteArray &line)
{
    QByteArray out;
    qsizetype width = 0;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const auto c = static_cast<unsigned char>(line.at(i));
        const bool last = i == line.size() - 1;
        QByteArray token;
        if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last))
            token = QByteArray(1, char(c));
        else
            token = '=' + QByteArray::number(c, 16).toUpper().rightJustified(2, '0');
        if (width + token.size() > kQuotedPrintableLine - 1) {
            out += "=\r\n"; // a soft line break
            width = 0;
        }
        out += token;
        width += token.size();
    }
    return out;
}

} // namespace

EmailNotifier::EmailNotifier(Options options)
    : m_options(std::move(options))
{}

EmailNotifier::~EmailNotifier() = default;

QString EmailNotifier::address(const QString &mailbox)
{
    const auto open = mailbox.lastIndexOf(u'<');
    const auto close = mailbox.lastIndexOf(u'>');
    if (open >= 0 && close > open)
        return mailbox.mid(open + 1, close - open - 1).trimmed();
    return mailbox.trimmed();
}

std::unique_ptr<Notifier> EmailNotifier::create(config::MapReader &r, const QString &name,
                                                const config::Config &config)
{
    Options o;
    o.name = name;
    QString scheme;
    if (const auto url = r.string(QStringLiteral("url"), config::Need::Required)) {
        const QUrl parsed(*url, QUrl::StrictMode);
        scheme = parsed.scheme();
        if (!parsed.isValid() || (scheme != u"smtp" && scheme != u"smtps") ||
            parsed.host().isEmpty())
            r.errorAt(QStringLiteral("url"),
                      QStringLiteral("'url' of %1 must be smtp://HOST:PORT or smtps://HOST:PORT")
                          .arg(r.what()));
        else if (!parsed.userInfo().isEmpty())
            r.errorAt(QStringLiteral("url"),
                      QStringLiteral("'url' of %1 must not carry credentials: write 'username' "
                                     "and 'password' (a secret such as env:SMTP_PASSWORD)")
                          .arg(r.what()));
        else if (parsed.hasQuery() || parsed.hasFragment() ||
                 (!parsed.path().isEmpty() && parsed.path() != u"/"))
            r.errorAt(QStringLiteral("url"),
                      QStringLiteral("'url' of %1 is a server: smtp://HOST:PORT, without a path")
                          .arg(r.what()));
        else
            o.url = *url;
    }
    const auto tls =
        r.choice(QStringLiteral("tls"),
                 {QStringLiteral("starttls"), QStringLiteral("tls"), QStringLiteral("none")});
    if (!tls)
        o.tls = scheme == u"smtps" ? Tls::Tls : Tls::StartTls;
    else
        o.tls = *tls == u"tls" ? Tls::Tls : *tls == u"none" ? Tls::None : Tls::StartTls;
    if (!scheme.isEmpty() && (o.tls == Tls::Tls) != (scheme == u"smtps"))
        r.errorAt(QStringLiteral("tls"),
                  o.tls == Tls::Tls
                      ? QStringLiteral("'tls: tls' of %1 needs an smtps:// URL (TLS from the "
                                       "start, usually port 465)")
                            .arg(r.what())
                      : QStringLiteral("'tls: %1' of %2 needs an smtp:// URL (smtps:// is TLS "
                                       "from the start: 'tls: tls')")
                            .arg(tls.value_or(QString()), r.what()));
    if (const auto from = r.string(QStringLiteral("from"), config::Need::Required)) {
        if (!isMailbox(*from))
            r.errorAt(QStringLiteral("from"),
                      QStringLiteral("'from' of %1 must be an address (rewind@example.com or "
                                     "\"Rewind <rewind@example.com>\"), found '%2'")
                          .arg(r.what(), *from));
        o.from = *from;
    }
    if (const auto to = r.stringList(QStringLiteral("to"), config::Need::Required)) {
        if (to->isEmpty())
            r.errorAt(QStringLiteral("to"),
                      QStringLiteral("'to' of %1 names no recipient").arg(r.what()));
        for (const auto &mailbox : *to) {
            if (!isMailbox(mailbox))
                r.errorAt(
                    QStringLiteral("to"),
                    QStringLiteral("'%1' in 'to' of %2 is not an address").arg(mailbox, r.what()));
        }
        o.to = *to;
    }
    o.username = r.string(QStringLiteral("username"), QString());
    if (const auto password = r.string(QStringLiteral("password"))) {
        if (auto secret = config::Secret::parse(*password, config.baseDirectory))
            o.password = *secret;
        else
            r.errorAt(QStringLiteral("password"),
                      QStringLiteral("'password' of %1: %2").arg(r.what(), secret.error().message));
    }
    if (o.username.isEmpty() != o.password.isEmpty())
        r.errorAt(o.username.isEmpty() ? QStringLiteral("password") : QStringLiteral("username"),
                  QStringLiteral("%1 needs both 'username' and 'password' to log in (or "
                                 "neither)")
                      .arg(r.what()));
    o.tlsVerify = r.boolean(QStringLiteral("tls_verify")).value_or(true);
    if (const auto ca = r.string(QStringLiteral("ca_file")))
        o.caFile = config.resolvePath(*ca);
    o.timeoutMs = r.durationMs(QStringLiteral("timeout"), o.timeoutMs);
    if (o.timeoutMs < 1)
        r.errorAt(QStringLiteral("timeout"),
                  QStringLiteral("'timeout' of %1 must be positive").arg(r.what()));
    return std::make_unique<EmailNotifier>(std::move(o));
}

QByteArray EmailNotifier::mail(const Options &o, const Message &message, qint64 sentAtMs)
{
    QString subject = message.title;
    subject.replace(u'\r', u' ').replace(u'\n', u' ');
    if (subject.size() > kMaxSubjectChars)
        subject = subject.left(kMaxSubjectChars - 1) + QChar(0x2026);
    QStringList to;
    for (const auto &mailbox : o.to)
        to.append(QString::fromUtf8(mailboxHeader(mailbox)));
    const QString domain = address(o.from).section(u'@', 1);
    const QByteArray messageId = "<rewind." + QByteArray::number(sentAtMs) + '.' +
                                 QByteArray::number(QRandomGenerator::global()->generate64(), 16) +
                                 '@' + domain.toUtf8() + '>';

    QString text = message.text;
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n")).replace(u'\r', u'\n');
    const QList<QByteArray> lines = text.toUtf8().split('\n');
    const bool plain =
        isAscii(text.toUtf8()) &&
        std::all_of(lines.cbegin(), lines.cend(), [](const QByteArray &line) {
            return line.size() <= kMaxLineBytes && !line.endsWith(' ') && !line.endsWith('\t');
        });
    QByteArray body;
    for (const auto &line : lines)
        body += (plain ? line : quotedPrintable(line)) + "\r\n";

    QByteArray m;
    m += "Date: " +
         QDateTime::fromMSecsSinceEpoch(sentAtMs, Qt::UTC).toString(Qt::RFC2822Date).toLatin1() +
         "\r\n";
    m += "From: " + mailboxHeader(o.from) + "\r\n";
    m += "To: " + to.join(QStringLiteral(", ")).toUtf8() + "\r\n";
    m += "Subject: " + headerText(subject) + "\r\n";
    m += "Message-ID: " + messageId + "\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "Content-Type: text/plain; charset=utf-8\r\n";
    m += QByteArray("Content-Transfer-Encoding: ") + (plain ? "7bit" : "quoted-printable") + "\r\n";
    // RFC 3834: written by a program, so auto-responders do not answer it.
    m += "Auto-Submitted: auto-generated\r\n";
    m += "X-Rewind-Event: " + message.event.toLatin1() + "\r\n";
    m += "\r\n";
    m += body;
    return m;
}

void EmailNotifier::send(const Message &message, Done done)
{
    if (!m_client)
        m_client = std::make_unique<SmtpClient>();
    const QString what = QStringLiteral("email '%1' (%2)").arg(m_options.name, m_options.url);
    executors::Redactor redactor;
    QByteArray password;
    if (!m_options.username.isEmpty()) {
        const auto value = m_options.password.resolve();
        if (!value) {
            const QString reason =
                QStringLiteral("the password of %1 (%2): %3")
                    .arg(what, m_options.password.redacted(), value.error().message);
            QMetaObject::invokeMethod(
                m_client.get(),
                [done = std::move(done), reason] {
                    done({false, false, reason});
                },
                Qt::QueuedConnection);
            return;
        }
        redactor.add(*value);
        password = value->toUtf8();
    }
    const qint64 sentAtMs =
        message.sentAtMs > 0 ? message.sentAtMs : QDateTime::currentMSecsSinceEpoch();
    SmtpClient::Request request;
    request.url = m_options.url.toUtf8();
    request.mailFrom = address(m_options.from).toUtf8();
    for (const auto &mailbox : m_options.to)
        request.recipients.append(address(mailbox).toUtf8());
    request.message = mail(m_options, message, sentAtMs);
    request.username = m_options.username.toUtf8();
    request.password = password;
    request.requireStartTls = m_options.tls == Tls::StartTls;
    request.tlsVerify = m_options.tlsVerify;
    request.caFile = m_options.caFile.toUtf8();
    request.timeoutMs = m_options.timeoutMs;
    const QString recipients = m_options.to.join(QStringLiteral(", "));
    const QString security = m_options.tls == Tls::StartTls ? QStringLiteral("STARTTLS")
                             : m_options.tls == Tls::Tls    ? QStringLiteral("TLS")
                                                            : QStringLiteral("no TLS");
    const QString user = m_options.username;
    m_client->send(request, [done = std::move(done), what, recipients, security, user,
                             redactor](const SmtpClient::Response &response) {
        const int code = response.smtpCode;
        const QString reply = code > 0 ? QStringLiteral(" (SMTP %1)").arg(code) : QString();
        if (response.ok) {
            done({true, false,
                  QStringLiteral("%1: sent to %2 over %3%4")
                      .arg(what, recipients, security, reply)});
            return;
        }
        // A 4xx reply is the server's "try again later"; 5xx is final. A session that broke
        // without a final reply may succeed next time.
        const bool retryable = (code >= 400 && code <= 499) || (response.broken && code < 500);
        QString reason = response.error;
        if (response.loginDenied)
            reason = QStringLiteral("the server refused the login of '%1': %2").arg(user, reason);
        else if (response.tlsFailed)
            reason = QStringLiteral("TLS failed (%1): %2").arg(security, reason);
        done({false, retryable,
              redactor.apply(QStringLiteral("%1: %2%3").arg(what, reason, reply))});
    });
}

} // namespace rwd::notify
