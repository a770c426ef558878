// The tcp, command and system checks against the real thing — sockets on loopback, programs run
// as argv, this host's procfs and statvfs — built from YAML exactly as rewindd builds them; and
// their configuration errors, each with its file:line:col.
#include "common/clock.h"
#include "config/configloader.h"
#include "httptestserver.h"
#include "monitor/check.h"
#include "monitor/checks/command/commandcheck.h"
#include "monitor/checks/system/systemcheck.h"
#include "monitor/checks/tcp/tcpcheck.h"
#include "peers.h"
#include "probes.h"
#include "processes.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <sys/statvfs.h>
#include <thread>
#include <vector>

using namespace rwd;
using testing::closedPort;
using testing::probeOnce;

namespace {

const QString kFile = QStringLiteral("test.yaml");

// The config loader's view of the check registry, as the daemon builds it (daemon/catalog.cpp).
config::Catalog checkCatalog(const monitor::CheckRegistry &registry)
{
    config::Catalog catalog;
    for (const auto &type : registry.types()) {
        const auto *make = registry.factory(type);
        catalog.checks.insert(type, [make](config::MapReader &options, const config::Config &) {
            (void)(*make)(options, config::CheckConfig{}, monitor::CheckRuntime{});
        });
    }
    return catalog;
}

// A configuration with one service 'api' whose `checks:` list is `checks` (indented by six).
QByteArray configWith(const QByteArray &checks)
{
    return "services:\n  - name: api\n    checks:\n" + checks;
}

double fieldValue(const monitor::Sample &s, const QString &name)
{
    const auto *f = s.field(name);
    return f ? f->value : qQNaN();
}

QStringList fieldNames(const monitor::Sample &s)
{
    QStringList out;
    for (const auto &f : s.fields)
        out.append(f.name);
    return out;
}

QStringList specNames(const monitor::Check &check)
{
    QStringList out;
    for (const auto &f : monitor::allFields(check))
        out.append(f.name);
    return out;
}

// 1 − MemAvailable/MemTotal, computed here independently of the check.
double memoryInUse()
{
    QFile file(QStringLiteral("/proc/meminfo"));
    if (!file.open(QIODevice::ReadOnly))
        return qQNaN();
    double total = 0;
    double available = 0;
    for (const auto &line : file.readAll().split('\n')) {
        const auto parts = line.simplified().split(' ');
        if (parts.size() >= 2 && parts.at(0) == "MemTotal:")
            total = parts.at(1).toDouble();
        if (parts.size() >= 2 && parts.at(0) == "MemAvailable:")
            available = parts.at(1).toDouble();
    }
    return total > 0 ? 1.0 - available / total : qQNaN();
}

} // namespace

class TestBasicChecks : public QObject
{
    Q_OBJECT

private:
    SystemClock m_clock;
    monitor::CheckRegistry m_registry = monitor::builtinChecks();
    QTemporaryDir m_dir;

    [[nodiscard]] monitor::CheckRuntime runtime() const { return {nullptr, &m_clock}; }

    // Every diagnostic of loading `yaml` (one service 'api' with the given checks).
    QStringList errorsOf(const QByteArray &checks, const QString &fileName = kFile) const
    {
        const auto r =
            config::loadConfigText(configWith(checks), fileName, checkCatalog(m_registry));
        QStringList out;
        for (const auto &d : r.diagnostics.items())
            out.append(d.format());
        return out;
    }

    // The one check described by `check` (a flow map), built the way the daemon builds it.
    template<typename T = monitor::Check>
    std::unique_ptr<T> build(const QByteArray &check, const QString &fileName = kFile) const
    {
        const auto r = config::loadConfigText(configWith("      - " + check + "\n"), fileName,
                                              checkCatalog(m_registry));
        if (!r.ok()) {
            qWarning().noquote() << r.diagnostics.format();
            return nullptr;
        }
        const auto &c = r.config->services.first().checks.first();
        config::Diagnostics diagnostics;
        auto made =
            m_registry.create(c.type, c.node, QStringLiteral("check"), diagnostics, c, runtime());
        if (diagnostics.hasErrors())
            qWarning().noquote() << diagnostics.format();
        return std::unique_ptr<T>(dynamic_cast<T *>(made.release()));
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // ---- tcp ----

    void tcpPassesWhenAConnectionIsEstablishedAndClosesIt()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        auto check = build(QStringLiteral("{name: port, type: tcp, timeout: 2s, address: "
                                          "\"127.0.0.1:%1\"}")
                               .arg(server.serverPort())
                               .toUtf8());
        QVERIFY(check);
        QCOMPARE(specNames(*check), QStringList{QStringLiteral("latency")});
        QCOMPARE(check->defaultField(), QStringLiteral("latency"));
        const auto o = probeOnce(*check, 5000);
        QVERIFY(o.sample);
        QCOMPARE(o.calls, 1);
        QVERIFY(!o.synchronous);
        QVERIFY2(o.sample->ok, qPrintable(o.sample->error));
        QVERIFY(o.sample->error.isEmpty());
        QVERIFY(o.sample->latency > 0);
        QVERIFY(o.sample->latency < 2.0);
        QVERIFY(qAbs(o.sample->timeMs - m_clock.nowMs()) < 5000);
        // The server really was reached, and the check hung up afterwards.
        QVERIFY(drill::waitUntil([&] { return server.hasPendingConnections(); }, 5000));
        std::unique_ptr<QTcpSocket> accepted(server.nextPendingConnection());
        QVERIFY(drill::waitUntil(
            [&] { return accepted->state() == QAbstractSocket::UnconnectedState; }, 5000));
    }

    void tcpAcceptsBracketedIpv6()
    {
        QTcpServer server;
        REWIND_REQUIRE_PEER(server.listen(QHostAddress::LocalHostIPv6),
                            "the IPv6 loopback (::1) on this host");
        auto check = build(QStringLiteral("{name: port, type: tcp, address: \"[::1]:%1\"}")
                               .arg(server.serverPort())
                               .toUtf8());
        QVERIFY(check);
        const auto o = probeOnce(*check, 5000);
        QVERIFY(o.sample);
        QVERIFY2(o.sample->ok, qPrintable(o.sample->error));
        QVERIFY(drill::waitUntil([&] { return server.hasPendingConnections(); }, 5000));
    }

    void tcpReportsARefusedConnection()
    {
        const auto port = closedPort();
        QVERIFY(port != 0);
        auto check =
            build(QStringLiteral("{name: port, type: tcp, timeout: 3s, address: \"127.0.0.1:%1\"}")
                      .arg(port)
                      .toUtf8());
        QVERIFY(check);
        const auto o = probeOnce(*check, 5000);
        QVERIFY(o.sample);
        QCOMPARE(o.calls, 1);
        QVERIFY(!o.synchronous);
        QVERIFY(!o.sample->ok);
        QCOMPARE(o.sample->error, QStringLiteral("connection refused"));
        QVERIFY(o.sample->fields.isEmpty());
        QVERIFY2(o.elapsedMs < 3000, "a refusal is reported at once, not at the timeout");
    }

    void tcpReportsAnUnknownHost()
    {
        auto check = build(
            "{name: port, type: tcp, timeout: 10s, address: \"rewind-no-such-host.invalid:80\"}");
        QVERIFY(check);
        const auto o = probeOnce(*check, 15'000);
        QVERIFY(o.sample);
        QVERIFY(!o.sample->ok);
        QCOMPARE(o.sample->error, QStringLiteral("host not found: rewind-no-such-host.invalid"));
    }

    // Loopback never drops packets, so a silent peer is made from a listener whose accept queue
    // is full: the kernel then ignores further connection attempts, which stay unanswered.
    void tcpGivesUpAtTheTimeout()
    {
        QTcpServer server;
        server.setListenBacklogSize(0);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        server.pauseAccepting();
        QTcpSocket filler;
        filler.connectToHost(QHostAddress::LocalHost, server.serverPort());
        QVERIFY(drill::waitUntil([&] { return filler.state() == QAbstractSocket::ConnectedState; },
                                 5000));

        auto check = build(
            QStringLiteral("{name: port, type: tcp, timeout: 300ms, address: \"127.0.0.1:%1\"}")
                .arg(server.serverPort())
                .toUtf8());
        QVERIFY(check);
        const auto o = probeOnce(*check, 5000);
        QVERIFY(o.sample);
        QCOMPARE(o.calls, 1);
        QVERIFY(!o.sample->ok);
        QCOMPARE(o.sample->error, QStringLiteral("no connection within 300 ms"));
        QVERIFY2(o.elapsedMs >= 290 && o.elapsedMs < 800, qPrintable(QString::number(o.elapsedMs)));
        QVERIFY(o.sample->latency >= 0.29);
    }

    void tcpCancelAbandonsTheProbe()
    {
        QTcpServer server;
        server.setListenBacklogSize(0);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        server.pauseAccepting();
        QTcpSocket filler;
        filler.connectToHost(QHostAddress::LocalHost, server.serverPort());
        QVERIFY(drill::waitUntil([&] { return filler.state() == QAbstractSocket::ConnectedState; },
                                 5000));
        auto check = build(
            QStringLiteral("{name: port, type: tcp, timeout: 200ms, address: \"127.0.0.1:%1\"}")
                .arg(server.serverPort())
                .toUtf8());
        QVERIFY(check);
        int calls = 0;
        check->probe([&](const monitor::Sample &) { ++calls; });
        check->cancel();
        // Well past the timeout, `done` has still not been called.
        QVERIFY(!drill::waitUntil([&] { return calls > 0; }, 600));
        // The check is usable again afterwards.
        const auto o = probeOnce(*check, 5000);
        QVERIFY(o.sample);
        QCOMPARE(o.calls, 1);
        QCOMPARE(calls, 0);
    }

    // ---- command ----

    void commandPassesOnTheExpectedExitCode()
    {
        auto check = build("{name: cmd, type: command, argv: [/bin/true]}");
        QVERIFY(check);
        QCOMPARE(specNames(*check), (QStringList{"latency", "exit_code"}));
        QCOMPARE(check->defaultField(), QStringLiteral("exit_code"));
        const auto o = probeOnce(*check, 5000);
        QVERIFY(o.sample);
        QCOMPARE(o.calls, 1);
        QVERIFY(!o.synchronous);
        QVERIFY2(o.sample->ok, qPrintable(o.sample->error));
        QCOMPARE(fieldNames(*o.sample), QStringList{"exit_code"});
        QCOMPARE(fieldValue(*o.sample, QStringLiteral("exit_code")), 0.0);
        QVERIFY(o.sample->latency > 0);
    }

    void commandFailsOnAnUnexpectedExitCode()
    {
        auto check = build("{name: cmd, type: command, argv: [/bin/false]}");
        QVERIFY(check);
        const auto o = probeOnce(*check, 5000);
        QVERIFY(o.sample);
        QVERIFY(!o.sample->ok);
        QCOMPARE(o.sample->error, QStringLiteral("exit 1 (expected 0)"));
        QCOMPARE(fieldValue(*o.sample, QStringLiteral("exit_code")), 1.0);

        auto expectOne = build("{name: cmd, type: command, argv: /bin/false, expect_exit: [1]}");
        QVERIFY(expectOne);
        const auto o1 = probeOnce(*expectOne, 5000);
        QVERIFY(o1.sample);
        QVERIFY2(o1.sample->ok, qPrintable(o1.sample->error));
        QCOMPARE(fieldValue(*o1.sample, QStringLiteral("exit_code")), 1.0);
    }

    void commandReadsAValueFromStdout()
    {
        auto check = build("{name: cmd, type: command, argv: [/usr/bin/printf, \"queue: %s\\nage: "
                           "7\\n\", \"12.5\"], "
                           "value_regex: '^queue: ([0-9.]+)$'}");
        QVERIFY(check);
        QCOMPARE(specNames(*check), (QStringList{"latency", "exit_code", "value"}));
        QCOMPARE(check->defaultField(), QStringLiteral("value"));
        const auto o = probeOnce(*check, 5000);
        QVERIFY(o.sample);
        QVERIFY2(o.sample->ok, qPrintable(o.sample->error));
        QCOMPARE(fieldNames(*o.sample), (QStringList{"exit_code", "value"}));
        QCOMPARE(fieldValue(*o.sample, QStringLiteral("value")), 12.5);
    }

    void commandFailsWhenNoNumberIsFound()
    {
        auto notNumber =
            build("{name: cmd, type: command, argv: [/usr/bin/printf, \"queue: lots\"], "
                  "value_regex: 'queue: (\\w+)'}");
        QVERIFY(notNumber);
        const auto o = probeOnce(*notNumber, 5000);
        QVERIFY(o.sample);
        QVERIFY(!o.sample->ok);
        QCOMPARE(o.sample->error, QStringLiteral("'lots' captured by value_regex is not a number"));
        QCOMPARE(fieldNames(*o.sample), QStringList{"exit_code"});

        // Only stdout is parsed: the digits ls prints on stderr are not a value; its complaint
        // is what the message quotes.
        auto stderrOnly = build(
            "{name: cmd, type: command, argv: [/bin/ls, /rewind-missing-42], expect_exit: [2], "
            "value_regex: '(\\d+)'}");
        QVERIFY(stderrOnly);
        const auto o2 = probeOnce(*stderrOnly, 5000);
        QVERIFY(o2.sample);
        QVERIFY(!o2.sample->ok);
        QVERIFY2(o2.sample->error.startsWith(
                     QStringLiteral("output does not match /(\\d+)/: /bin/ls: cannot access ")),
                 qPrintable(o2.sample->error));
        QVERIFY2(o2.sample->error.contains(QStringLiteral("/rewind-missing-42")),
                 qPrintable(o2.sample->error));
    }

    void commandQuotesOneShortLineOfOutput()
    {
        const QString longLine(1000, u'x');
        auto check = build(QStringLiteral("{name: cmd, type: command, argv: [/bin/ls, /%1], "
                                          "expect_exit: [0]}")
                               .arg(longLine.left(200))
                               .toUtf8());
        QVERIFY(check);
        const auto o = probeOnce(*check, 5000);
        QVERIFY(o.sample);
        QVERIFY(!o.sample->ok);
        QVERIFY2(o.sample->error.startsWith(
                     QStringLiteral("exit 2 (expected 0): /bin/ls: cannot access ")),
                 qPrintable(o.sample->error));
        QVERIFY(!o.sample->error.contains(u'\n'));
        QVERIFY2(o.sample->error.size() <= QStringLiteral("exit 2 (expected 0): ").size() + 201,
                 qPrintable(o.sample->error));
        QVERIFY(o.sample->error.endsWith(u'…'));
    }

    void commandReportsAProgramThatDoesNotExist()
    {
        auto byPath = build("{name: cmd, type: command, argv: [/rewind/no-such-program, x]}");
        QVERIFY(byPath);
        const auto o = probeOnce(*byPath, 5000);
        QVERIFY(o.sample);
        QCOMPARE(o.calls, 1);
        QVERIFY(!o.synchronous);
        QVERIFY(!o.sample->ok);
        QVERIFY2(o.sample->error.startsWith(
                     QStringLiteral("could not start '/rewind/no-such-program': ")),
                 qPrintable(o.sample->error));
        QVERIFY(o.sample->fields.isEmpty());

        auto byName = build("{name: cmd, type: command, argv: [rewind-no-such-program]}");
        QVERIFY(byName);
        const auto o2 = probeOnce(*byName, 5000);
        QVERIFY(o2.sample);
        QVERIFY(!o2.synchronous);
        QVERIFY2(o2.sample->error.startsWith(
                     QStringLiteral("could not start 'rewind-no-such-program': ")),
                 qPrintable(o2.sample->error));
    }

    void commandIsKilledAtTheTimeoutWithoutBlocking()
    {
        auto check = build("{name: cmd, type: command, timeout: 200ms, argv: [/bin/sleep, 5]}");
        QVERIFY(check);
        int ticks = 0;
        QTimer ticker;
        ticker.setInterval(10);
        QObject::connect(&ticker, &QTimer::timeout, &ticker, [&] { ++ticks; });
        ticker.start();
        const auto o = probeOnce(*check, 5000);
        ticker.stop();
        QVERIFY(o.sample);
        QCOMPARE(o.calls, 1);
        QVERIFY(!o.sample->ok);
        QCOMPARE(o.sample->error, QStringLiteral("no exit within 200 ms; killed"));
        QVERIFY2(o.elapsedMs >= 190 && o.elapsedMs < 700, qPrintable(QString::number(o.elapsedMs)));
        // The event loop kept running while the command did.
        QVERIFY2(ticks >= 5, qPrintable(QString::number(ticks)));
    }

    void commandPassesShellMetacharactersLiterally()
    {
        const QString marker = m_dir.filePath(QStringLiteral("shell-ran"));
        QByteArray yaml = "{name: cmd, type: command, argv: [/usr/bin/printf, \"%s|%s|%s|%s\\n\", "
                          "\"$(touch MARKER)\", \";\", \"`touch MARKER`\", \"42\"], "
                          "value_regex: '^\\$\\(touch [^)]+\\)\\|;\\|`touch [^`]+`\\|(\\d+)$'}";
        yaml.replace("MARKER", marker.toUtf8());
        auto check = build(yaml);
        QVERIFY(check);
        const auto o = probeOnce(*check, 5000);
        QVERIFY(o.sample);
        QVERIFY2(o.sample->ok, qPrintable(o.sample->error));
        // printf printed the arguments as given, so the regex matched them literally...
        QCOMPARE(fieldValue(*o.sample, QStringLiteral("value")), 42.0);
        // ...and nothing interpreted them.
        QVERIFY(!QFile::exists(marker));
    }

    void commandUsesItsEnvironmentAndWorkingDirectory()
    {
        auto env = build("{name: cmd, type: command, argv: [/usr/bin/printenv, REWIND_PROBE], "
                         "env: {REWIND_PROBE: \"17\"}, value_regex: '(\\d+)'}");
        QVERIFY(env);
        const auto o = probeOnce(*env, 5000);
        QVERIFY(o.sample);
        QVERIFY2(o.sample->ok, qPrintable(o.sample->error));
        QCOMPARE(fieldValue(*o.sample, QStringLiteral("value")), 17.0);
        // Everything else of rewindd's environment is still there.
        auto path = build("{name: cmd, type: command, argv: [/usr/bin/printenv, PATH], "
                          "env: {REWIND_PROBE: \"17\"}}");
        QVERIFY(path);
        const auto p = probeOnce(*path, 5000);
        QVERIFY(p.sample);
        QVERIFY2(p.sample->ok, qPrintable(p.sample->error));

        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("4242")));
        auto dir = build(QStringLiteral("{name: cmd, type: command, argv: [/bin/pwd], "
                                        "working_dir: \"%1\", value_regex: '/(\\d+)$'}")
                             .arg(m_dir.filePath(QStringLiteral("4242")))
                             .toUtf8());
        QVERIFY(dir);
        const auto d = probeOnce(*dir, 5000);
        QVERIFY(d.sample);
        QVERIFY2(d.sample->ok, qPrintable(d.sample->error));
        QCOMPARE(fieldValue(*d.sample, QStringLiteral("value")), 4242.0);
    }

    void commandResolvesRelativePathsAgainstTheConfigFile()
    {
        const QString file = QStringLiteral("/srv/rewind/rewind.yaml");
        auto relative = build<monitor::CommandCheck>(
            "{name: cmd, type: command, argv: [./bin/probe, ./arg], working_dir: state}", file);
        QVERIFY(relative);
        QCOMPARE(relative->options().argv, (QStringList{"/srv/rewind/bin/probe", "./arg"}));
        QCOMPARE(relative->options().workingDirectory, QStringLiteral("/srv/rewind/state"));
        auto onPath =
            build<monitor::CommandCheck>("{name: cmd, type: command, argv: [printf]}", file);
        QVERIFY(onPath);
        QCOMPARE(onPath->options().argv, QStringList{"printf"});
        QVERIFY(onPath->options().workingDirectory.isEmpty());
    }

    void commandCancelAbandonsTheProbe()
    {
        auto check = build("{name: cmd, type: command, timeout: 5s, argv: [/bin/sleep, \"0.3\"]}");
        QVERIFY(check);
        int cancelled = 0;
        check->probe([&](const monitor::Sample &) { ++cancelled; });
        check->cancel();
        // A new probe can start at once, and only it reports.
        const auto o = probeOnce(*check, 5000);
        QVERIFY(o.sample);
        QCOMPARE(o.calls, 1);
        QVERIFY2(o.sample->ok, qPrintable(o.sample->error));
        QVERIFY(!drill::waitUntil([&] { return cancelled > 0; }, 500));
    }

    // ---- system ----

    void systemMeasuresTheHost()
    {
        auto check = build("{name: host, type: system}");
        QVERIFY(check);
        QCOMPARE(specNames(*check), (QStringList{"latency", "cpu", "memory", "disk", "load1"}));
        QCOMPARE(check->defaultField(), QStringLiteral("cpu"));
        for (const auto &f : check->fields())
            QVERIFY(f.dimension ==
                    (f.name == u"load1" ? rules::Dimension::Scalar : rules::Dimension::Ratio));

        // The first probe has no earlier CPU reading: it takes a second one on a timer, and the
        // event loop runs meanwhile.
        int ticks = 0;
        QTimer ticker;
        ticker.setInterval(10);
        QObject::connect(&ticker, &QTimer::timeout, &ticker, [&] { ++ticks; });
        ticker.start();
        const auto first = probeOnce(*check, 5000);
        ticker.stop();
        QVERIFY(first.sample);
        QCOMPARE(first.calls, 1);
        QVERIFY(!first.synchronous);
        QVERIFY2(first.sample->ok, qPrintable(first.sample->error));
        QVERIFY2(first.sample->latency >= 0.095,
                 qPrintable(QString::number(first.sample->latency)));
        QVERIFY2(ticks >= 3, qPrintable(QString::number(ticks)));

        const auto second = probeOnce(*check, 5000);
        QVERIFY(second.sample);
        QVERIFY(!second.synchronous);
        QVERIFY2(second.sample->ok, qPrintable(second.sample->error));
        for (const auto *s : {&*first.sample, &*second.sample}) {
            QCOMPARE(fieldNames(*s), (QStringList{"cpu", "memory", "disk", "load1"}));
            for (const auto *ratio : {"cpu", "memory", "disk"}) {
                const double v = fieldValue(*s, QLatin1String(ratio));
                QVERIFY2(v >= 0.0 && v <= 1.0, ratio);
            }
            QVERIFY(fieldValue(*s, QStringLiteral("load1")) >= 0.0);
        }
    }

    void systemMemoryMatchesProcMeminfo()
    {
        auto check = build("{name: host, type: system}");
        QVERIFY(check);
        const auto o = probeOnce(*check, 5000);
        QVERIFY(o.sample);
        const double expected = memoryInUse();
        QVERIFY(!qIsNaN(expected));
        const double measured = fieldValue(*o.sample, QStringLiteral("memory"));
        QVERIFY2(qAbs(measured - expected) < 0.03,
                 qPrintable(QStringLiteral("%1 vs %2").arg(measured).arg(expected)));
    }

    void systemDiskMatchesStatvfs_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("root") << QStringLiteral("/");
        QTest::newRow("temporary directory") << m_dir.path();
    }

    void systemDiskMatchesStatvfs()
    {
        QFETCH(QString, path);
        auto check =
            build(QStringLiteral("{name: host, type: system, path: \"%1\"}").arg(path).toUtf8());
        QVERIFY(check);
        const auto o = probeOnce(*check, 5000);
        QVERIFY(o.sample);
        QVERIFY2(o.sample->ok, qPrintable(o.sample->error));
        struct statvfs fs = {};
        QCOMPARE(::statvfs(QFile::encodeName(path).constData(), &fs), 0);
        const double used = double(fs.f_blocks - fs.f_bfree);
        const double expected = used / (used + double(fs.f_bavail));
        const double measured = fieldValue(*o.sample, QStringLiteral("disk"));
        QVERIFY2(qAbs(measured - expected) < 0.01,
                 qPrintable(QStringLiteral("%1 vs %2").arg(measured).arg(expected)));
    }

    void systemCpuRisesUnderLoad()
    {
        auto check = build("{name: host, type: system}");
        QVERIFY(check);
        const auto baseline = probeOnce(*check, 5000);
        QVERIFY(baseline.sample);
        QVERIFY2(baseline.sample->ok, qPrintable(baseline.sample->error));

        // Half the CPUs busy for half a second (one thread on the 2-core CI machines).
        const int threads = std::max(1, QThread::idealThreadCount() / 2);
        std::atomic<int> finished{0};
        std::vector<std::thread> busy;
        busy.reserve(std::size_t(threads));
        for (int i = 0; i < threads; ++i) {
            busy.emplace_back([&finished] {
                QElapsedTimer spin;
                spin.start();
                volatile quint64 sink = 0;
                while (spin.elapsed() < 500)
                    sink = sink + 1;
                ++finished;
            });
        }
        const bool done = drill::waitUntil([&] { return finished.load() == threads; }, 10'000);
        for (auto &t : busy)
            t.join();
        QVERIFY(done);

        const auto loaded = probeOnce(*check, 5000);
        QVERIFY(loaded.sample);
        QVERIFY2(loaded.sample->ok, qPrintable(loaded.sample->error));
        const double cpu = fieldValue(*loaded.sample, QStringLiteral("cpu"));
        QVERIFY2(cpu > 0.3 && cpu <= 1.0, qPrintable(QString::number(cpu)));
    }

    // The arithmetic, on procfs files whose contents are known.
    void systemComputesFromProcfsFiles()
    {
        QTemporaryDir proc;
        QVERIFY(proc.isValid());
        const auto write = [&](const char *name, const QByteArray &text) {
            QFile f(proc.filePath(QLatin1String(name)));
            return f.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
                   f.write(text) == text.size();
        };
        // user nice system idle iowait irq softirq steal guest guest_nice
        QVERIFY(write("stat", "cpu  100 0 50 800 50 0 0 0 40 0\ncpu0 1 2 3 4\nintr 1\n"));
        QVERIFY(write("meminfo", "MemTotal:       1000 kB\nMemFree:         100 kB\n"
                                 "MemAvailable:    250 kB\n"));
        QVERIFY(write("loadavg", "1.50 0.70 0.20 2/345 6789\n"));
        monitor::SystemCheck::Options options;
        options.procDirectory = proc.path();
        monitor::SystemCheck check(options, runtime());

        // Nothing to compare CPU times with, even after the second reading (no tick passed).
        const auto first = probeOnce(check, 5000);
        QVERIFY(first.sample);
        QVERIFY2(first.sample->ok, qPrintable(first.sample->error));
        QCOMPARE(fieldNames(*first.sample), (QStringList{"memory", "disk", "load1"}));
        QCOMPARE(fieldValue(*first.sample, QStringLiteral("memory")), 0.75);
        QCOMPARE(fieldValue(*first.sample, QStringLiteral("load1")), 1.5);

        // 100 more jiffies, 30 of them busy (20 user + 10 system; guest time is inside user).
        QVERIFY(write("stat", "cpu  120 0 60 850 70 0 0 0 60 0\n"));
        const auto second = probeOnce(check, 5000);
        QVERIFY(second.sample);
        QVERIFY2(second.sample->ok, qPrintable(second.sample->error));
        QCOMPARE(fieldValue(*second.sample, QStringLiteral("cpu")), 0.3);
        QVERIFY(second.sample->latency < 0.095); // no second reading needed this time
    }

    void systemFailsWhenItsSourcesCannotBeRead()
    {
        QTemporaryDir empty;
        QVERIFY(empty.isValid());
        monitor::SystemCheck::Options options;
        options.procDirectory = empty.path();
        options.path = QStringLiteral("/rewind/no-such-filesystem");
        monitor::SystemCheck check(options, runtime());
        const auto o = probeOnce(check, 5000);
        QVERIFY(o.sample);
        QCOMPARE(o.calls, 1);
        QVERIFY(!o.synchronous);
        QVERIFY(!o.sample->ok);
        QCOMPARE(o.sample->error,
                 QStringLiteral("cannot read %1/stat: No such file or directory; "
                                "cannot read %1/meminfo: No such file or directory; "
                                "cannot read the filesystem of /rewind/no-such-filesystem: No "
                                "such file or directory; "
                                "cannot read %1/loadavg: No such file or directory")
                     .arg(empty.path()));
        QVERIFY(o.sample->fields.isEmpty());
    }

    void systemCancelAbandonsTheFirstProbe()
    {
        auto check = build("{name: host, type: system}");
        QVERIFY(check);
        int calls = 0;
        check->probe([&](const monitor::Sample &) { ++calls; });
        check->cancel();
        QVERIFY(!drill::waitUntil([&] { return calls > 0; }, 400));
    }

    // ---- configuration errors ----

    void reportsConfigErrorsWithPositions_data()
    {
        QTest::addColumn<QByteArray>("checks");
        QTest::addColumn<QStringList>("expected");

        QTest::newRow("tcp: missing address")
            << QByteArray("      - name: port\n"
                          "        type: tcp\n")
            << QStringList{"test.yaml:4:9: error: check 'port' of service 'api' is missing "
                           "required key 'address'"};
        QTest::newRow("tcp: bad addresses")
            << QByteArray("      - name: a\n"
                          "        type: tcp\n"
                          "        address: localhost\n"
                          "      - name: b\n"
                          "        type: tcp\n"
                          "        address: \"::1:80\"\n"
                          "      - name: c\n"
                          "        type: tcp\n"
                          "        address: db:99999\n")
            << QStringList{
                   "test.yaml:6:18: error: 'address' of check 'a' of service 'api' must be "
                   "HOST:PORT (IPv6 as [::1]:PORT) with a port from 1 to 65535, found 'localhost'",
                   "test.yaml:9:18: error: 'address' of check 'b' of service 'api' must be "
                   "HOST:PORT (IPv6 as [::1]:PORT) with a port from 1 to 65535, found '::1:80'",
                   "test.yaml:12:18: error: 'address' of check 'c' of service 'api' must be "
                   "HOST:PORT (IPv6 as [::1]:PORT) with a port from 1 to 65535, found "
                   "'db:99999'"};
        QTest::newRow("tcp: unknown key")
            << QByteArray("      - name: port\n"
                          "        type: tcp\n"
                          "        address: db:5432\n"
                          "        adress: db:5433\n")
            << QStringList{"test.yaml:7:9: error: unknown key 'adress' in check 'port' of "
                           "service 'api' (did you mean 'address'?)"};
        QTest::newRow("command: missing argv")
            << QByteArray("      - name: cmd\n"
                          "        type: command\n")
            << QStringList{"test.yaml:4:9: error: check 'cmd' of service 'api' is missing "
                           "required key 'argv'"};
        QTest::newRow("command: argv written as one string")
            << QByteArray("      - name: cmd\n"
                          "        type: command\n"
                          "        argv: /usr/bin/curl -f http://x\n")
            << QStringList{"test.yaml:6:15: error: 'argv' of check 'cmd' of service 'api' must "
                           "be a list such as [program, argument]: it is never split into words "
                           "nor run by a shell, found '/usr/bin/curl -f http://x'"};
        QTest::newRow("command: bad regexes")
            << QByteArray("      - name: a\n"
                          "        type: command\n"
                          "        argv: [/bin/true]\n"
                          "        value_regex: \"load: ([0-9.]+\"\n"
                          "      - name: b\n"
                          "        type: command\n"
                          "        argv: [/bin/true]\n"
                          "        value_regex: 'load: \\d+'\n"
                          "      - name: c\n"
                          "        type: command\n"
                          "        argv: [/bin/true]\n"
                          "        value_regex: '(\\w+): (\\d+)'\n")
            << QStringList{
                   "test.yaml:7:22: error: 'value_regex' of check 'a' of service 'api' is not a "
                   "valid regular expression: missing closing parenthesis at offset 14",
                   "test.yaml:11:22: error: 'value_regex' of check 'b' of service 'api' must "
                   "have exactly one capture group, around the number, found 0 (use (?:…) for "
                   "groups that should not capture)",
                   "test.yaml:15:22: error: 'value_regex' of check 'c' of service 'api' must "
                   "have exactly one capture group, around the number, found 2 (use (?:…) for "
                   "groups that should not capture)"};
        QTest::newRow("command: bad exit codes, env and unknown key")
            << QByteArray("      - name: cmd\n"
                          "        type: command\n"
                          "        argv: [/bin/true]\n"
                          "        expect_exit: [0, 256, ok]\n"
                          "        env: {\"A=B\": x}\n"
                          "        workdir: /tmp\n")
            << QStringList{
                   "test.yaml:7:22: error: 'expect_exit' of check 'cmd' of service 'api' must "
                   "list exit codes from 0 to 255, found '256'",
                   "test.yaml:7:22: error: 'expect_exit' of check 'cmd' of service 'api' must "
                   "list exit codes from 0 to 255, found 'ok'",
                   "test.yaml:8:14: error: 'env' of check 'cmd' of service 'api' has an invalid "
                   "variable name 'A=B'",
                   "test.yaml:9:9: error: unknown key 'workdir' in check 'cmd' of service 'api' "
                   "(known keys: argv, env, expect_exit, fall, fast_interval, grace_period, "
                   "interval, jitter, name, rise, timeout, type, value_regex, working_dir)"};
        QTest::newRow("system: relative path and unknown key")
            << QByteArray("      - name: host\n"
                          "        type: system\n"
                          "        path: var/lib\n"
                          "      - name: host2\n"
                          "        type: system\n"
                          "        pth: /\n")
            << QStringList{"test.yaml:6:15: error: 'path' of check 'host' of service 'api' must "
                           "be an absolute path, found 'var/lib'",
                           "test.yaml:9:9: error: unknown key 'pth' in check 'host2' of service "
                           "'api' (did you mean 'path'?)"};
    }

    void reportsConfigErrorsWithPositions()
    {
        QFETCH(QByteArray, checks);
        QFETCH(QStringList, expected);
        QCOMPARE(errorsOf(checks), expected);
    }

    void acceptsGoodConfigurations()
    {
        const QByteArray checks = "      - {name: a, type: tcp, address: \"db.internal:5432\"}\n"
                                  "      - {name: b, type: tcp, address: \"[2001:db8::1]:443\"}\n"
                                  "      - {name: c, type: command, argv: [/bin/true], "
                                  "expect_exit: [0, 3], value_regex: 'x=(\\d+)', env: {A: b}, "
                                  "working_dir: /tmp}\n"
                                  "      - {name: d, type: system, path: /var}\n";
        QCOMPARE(errorsOf(checks), QStringList{});
        auto tcp = build<monitor::TcpCheck>("{name: b, type: tcp, address: \"[2001:db8::1]:443\"}");
        QVERIFY(tcp);
        QCOMPARE(tcp->options().host, QStringLiteral("2001:db8::1"));
        QCOMPARE(tcp->options().port, quint16(443));
    }
};

QTEST_GUILESS_MAIN(TestBasicChecks)
#include "tst_basicchecks.moc"
