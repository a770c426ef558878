// rewind-standin: a recording stand-in for programs that cannot run here (kubectl, docker,
// systemctl) and a scriptable command for tests. Installed under those names first on PATH, it
// appends one JSON line per call to $STANDIN_LOG — {"program", "argv", "env": {NAME: value} for
// each name in $STANDIN_ENV (comma-separated)} — writes $STANDIN_OUTPUT to stdout and
// $STANDIN_STDERR to stderr, waits $STANDIN_SLEEP_MS, and exits with $STANDIN_EXIT (default 0).
// $STANDIN_FAIL_ON, if set, makes it exit 1 when any argument contains that text.
// It never runs anything itself.
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    QJsonObject record{{"program", QFileInfo(args.first()).fileName()},
                       {"argv", QJsonArray::fromStringList(args.mid(1))}};
    QJsonObject env;
    for (const auto &name : qEnvironmentVariable("STANDIN_ENV").split(u',', Qt::SkipEmptyParts))
        if (qEnvironmentVariableIsSet(qPrintable(name)))
            env.insert(name, qEnvironmentVariable(qPrintable(name)));
    record.insert(QStringLiteral("env"), env);
    const QString log = qEnvironmentVariable("STANDIN_LOG");
    if (!log.isEmpty()) {
        QFile file(log);
        if (file.open(QIODevice::Append)) {
            file.write(QJsonDocument(record).toJson(QJsonDocument::Compact) + '\n');
            file.close();
        }
    }
    std::fputs(qEnvironmentVariable("STANDIN_OUTPUT").toUtf8().constData(), stdout);
    std::fputs(qEnvironmentVariable("STANDIN_STDERR").toUtf8().constData(), stderr);
    std::fflush(stdout);
    std::fflush(stderr);
    if (const int sleep = qEnvironmentVariableIntValue("STANDIN_SLEEP_MS"); sleep > 0)
        QThread::msleep(ulong(sleep));
    const QString failOn = qEnvironmentVariable("STANDIN_FAIL_ON");
    if (!failOn.isEmpty()) {
        for (const auto &a : args.mid(1))
            if (a.contains(failOn))
                return 1;
    }
    return qEnvironmentVariableIntValue("STANDIN_EXIT");
}
