#include "commandcheck.h"

#include "common/clock.h"

#include <QDir>
#include <QFileInfo>

#include <climits>
#include <cmath>

namespace rwd::monitor {

namespace {

constexpr qsizetype kQuotedOutputChars = 200;

// The first non-empty line of a command's output, shortened, for a failure message.
QString firstLine(const QByteArray &output)
{
    const auto lines = QString::fromUtf8(output).split(u'\n');
    for (const auto &line : lines) {
        const auto text = line.trimmed();
        if (text.isEmpty())
            continue;
        return text.size() > kQuotedOutputChars ? text.left(kQuotedOutputChars) + u'…' : text;
    }
    return {};
}

// What the command printed that best explains a failure: stderr if it said anything, else stdout.
QString quotedOutput(const process::ProcessResult &result)
{
    auto line = firstLine(result.errorOutput);
    if (line.isEmpty())
        line = firstLine(result.output);
    return line.isEmpty() ? QString() : QStringLiteral(": ") + line;
}

QString joined(const QList<int> &codes)
{
    QStringList out;
    for (const int c : codes)
        out.append(QString::number(c));
    return out.join(QStringLiteral(", "));
}

} // namespace

std::unique_ptr<Check> CommandCheck::create(config::MapReader &r, const config::CheckConfig &common,
                                            const CheckRuntime &runtime)
{
    Options o;
    o.timeoutMs = common.timeoutMs;
    // Relative paths in the file are relative to the file, like every other path in it.
    const QDir base(QFileInfo(r.node().file()).absolutePath());
    if (const auto argv = r.stringList(QStringLiteral("argv"), config::Need::Required)) {
        if (argv->isEmpty() || argv->first().trimmed().isEmpty()) {
            r.errorAt(
                QStringLiteral("argv"),
                QStringLiteral("'argv' of %1 must start with the program to run").arg(r.what()));
        } else if (r.value(QStringLiteral("argv")).isScalar() && argv->first().contains(u' ')) {
            r.errorAt(QStringLiteral("argv"),
                      QStringLiteral("'argv' of %1 must be a list such as [program, argument]: it "
                                     "is never split into words nor run by a shell, found '%2'")
                          .arg(r.what(), argv->first()));
        } else {
            o.argv = *argv;
            if (o.argv.first().contains(u'/') && QDir::isRelativePath(o.argv.first()))
                o.argv.first() = QDir::cleanPath(base.absoluteFilePath(o.argv.first()));
        }
    }
    if (const auto codes = r.stringList(QStringLiteral("expect_exit"))) {
        o.expectExit.clear();
        for (const auto &text : *codes) {
            bool ok = false;
            const int code = text.trimmed().toInt(&ok);
            if (!ok || code < 0 || code > 255) {
                r.errorAt(QStringLiteral("expect_exit"),
                          QStringLiteral("'expect_exit' of %1 must list exit codes from 0 to 255, "
                                         "found '%2'")
                              .arg(r.what(), text));
                continue;
            }
            o.expectExit.append(code);
        }
        if (codes->isEmpty())
            r.errorAt(QStringLiteral("expect_exit"),
                      QStringLiteral("'expect_exit' of %1 lists no exit code").arg(r.what()));
    }
    if (const auto pattern = r.string(QStringLiteral("value_regex"))) {
        // Command output is line-oriented: ^ and $ match at the start and end of every line.
        o.valueRegex = QRegularExpression(*pattern, QRegularExpression::MultilineOption);
        if (!o.valueRegex.isValid()) {
            r.errorAt(QStringLiteral("value_regex"),
                      QStringLiteral("'value_regex' of %1 is not a valid regular expression: %2 "
                                     "at offset %3")
                          .arg(r.what(), o.valueRegex.errorString())
                          .arg(o.valueRegex.patternErrorOffset()));
        } else if (o.valueRegex.captureCount() != 1) {
            r.errorAt(QStringLiteral("value_regex"),
                      QStringLiteral("'value_regex' of %1 must have exactly one capture group, "
                                     "around the number, found %2 (use (?:…) for groups that "
                                     "should not capture)")
                          .arg(r.what())
                          .arg(o.valueRegex.captureCount()));
        }
    }
    if (const auto environment = r.stringMap(QStringLiteral("env"))) {
        for (const auto &[name, value] : *environment) {
            if (name.isEmpty() || name.contains(u'=') || name.contains(QChar(0))) {
                r.errorAt(QStringLiteral("env"),
                          QStringLiteral("'env' of %1 has an invalid variable name '%2'")
                              .arg(r.what(), name));
                continue;
            }
            o.environment.append({name, value});
        }
    }
    if (const auto dir = r.string(QStringLiteral("working_dir"))) {
        if (dir->isEmpty())
            r.errorAt(QStringLiteral("working_dir"),
                      QStringLiteral("'working_dir' of %1 is empty").arg(r.what()));
        else
            o.workingDirectory = QDir::cleanPath(base.absoluteFilePath(*dir));
    }
    return std::make_unique<CommandCheck>(std::move(o), runtime);
}

CommandCheck::CommandCheck(Options options, const CheckRuntime &runtime)
    : m_options(std::move(options))
    , m_runtime(runtime)
{
    m_deliver.setSingleShot(true);
    m_deliver.setInterval(0);
    QObject::connect(&m_deliver, &QTimer::timeout, &m_deliver, [this] { deliver(); });
}

CommandCheck::~CommandCheck()
{
    cancel();
}

void CommandCheck::probe(Done done)
{
    m_done = std::move(done);
    m_elapsed.start();
    process::LaunchOptions launch;
    launch.environment = m_options.environment;
    launch.workingDirectory = m_options.workingDirectory;
    // value_regex reads stdout alone: a warning on stderr must not be taken for the value.
    launch.separateErrorOutput = true;
    m_starting = true;
    m_runner.run(m_options.argv.first(), m_options.argv.mid(1), launch,
                 int(std::min<qint64>(m_options.timeoutMs, INT_MAX)),
                 [this](const process::ProcessResult &result) {
                     m_pending = evaluate(result);
                     if (m_starting)
                         m_deliver.start();
                     else
                         deliver();
                 });
    m_starting = false;
}

Sample CommandCheck::evaluate(const process::ProcessResult &result) const
{
    Sample s;
    s.timeMs = m_runtime.clock->nowMs();
    s.latency = double(m_elapsed.nsecsElapsed()) / 1e9;
    if (!result.started) {
        // Rewind could not run the probe (a missing program, no process or descriptor left):
        // that says nothing about the service.
        s.checkError = true;
        s.error =
            QStringLiteral("could not start '%1': %2").arg(m_options.argv.first(), result.error);
        return s;
    }
    if (result.timedOut) {
        s.error = result.error;
        return s;
    }
    if (!result.error.isEmpty()) {
        s.error = QStringLiteral("'%1' %2%3")
                      .arg(m_options.argv.first(), result.error, quotedOutput(result));
        return s;
    }
    s.fields.append(FieldValue::of(QStringLiteral("exit_code"), double(result.exitCode)));
    const bool expected = m_options.expectExit.contains(result.exitCode);
    if (!expected)
        s.error = QStringLiteral("exit %1 (expected %2)%3")
                      .arg(result.exitCode)
                      .arg(joined(m_options.expectExit), quotedOutput(result));
    if (!m_options.valueRegex.pattern().isEmpty()) {
        const auto match = m_options.valueRegex.match(QString::fromUtf8(result.output));
        const auto captured = match.captured(1).trimmed();
        bool number = false;
        const double value = captured.toDouble(&number);
        if (number && std::isfinite(value))
            s.fields.append(FieldValue::of(QStringLiteral("value"), value));
        else if (expected && !match.hasMatch())
            s.error = QStringLiteral("output does not match /%1/%2")
                          .arg(m_options.valueRegex.pattern(), quotedOutput(result));
        else if (expected)
            s.error = QStringLiteral("'%1' captured by value_regex is not a number")
                          .arg(captured.left(kQuotedOutputChars));
        s.ok = expected && number && std::isfinite(value);
        return s;
    }
    s.ok = expected;
    return s;
}

void CommandCheck::deliver()
{
    auto done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(m_pending);
}

QList<FieldSpec> CommandCheck::fields() const
{
    QList<FieldSpec> out{{QStringLiteral("exit_code"), rules::Dimension::Scalar, false, false}};
    if (!m_options.valueRegex.pattern().isEmpty())
        out.append({QStringLiteral("value"), rules::Dimension::Scalar, false, false});
    return out;
}

QString CommandCheck::defaultField() const
{
    return m_options.valueRegex.pattern().isEmpty() ? QStringLiteral("exit_code")
                                                    : QStringLiteral("value");
}

void CommandCheck::cancel()
{
    m_done = nullptr;
    m_deliver.stop();
    m_runner.cancel();
}

} // namespace rwd::monitor
