// Time-bound permissions are decided when they are used, against the injected clock: API tokens
// and sessions at their expiry −1 ms, at it and +1 ms, and deployment freezes at their end; and
// what a security team hears of sign-ins (repeated failures from one address, a revoked token).
#include "auth/accounts.h"
#include "common/clock.h"
#include "config/config.h"
#include "results.h"
#include "store/store.h"

#include <QTemporaryDir>
#include <QTest>

#include <variant>

using namespace rwd;

class TestDeadlines : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    ManualClock m_clock{1'800'000'000'000};
    config::AuthConfig m_auth;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<auth::Accounts> m_accounts;
    QList<QPair<QString, QJsonObject>> m_alerts;

    QString errorOf(const QString &token)
    {
        const auto who = m_accounts->authenticate(token);
        return who ? QString() : who.error().code;
    }

private slots:
    void init()
    {
        auto opened =
            store::Store::open(QStringLiteral("sqlite:") +
                               m_dir.filePath(QStringLiteral("%1.db").arg(m_clock.nowMs())));
        QVERIFY2(opened, qPrintable(testing::why(opened)));
        m_store = *std::move(opened);
        m_auth.pbkdf2Iterations = 1000;
        m_auth.sessionTtlMs = 3'600'000;
        m_accounts = std::make_unique<auth::Accounts>(m_auth, m_store->users(), m_clock);
        m_alerts.clear();
        m_accounts->setSecurityAlert(
            [this](const QString &kind, const QString &, const QJsonObject &data) {
                m_alerts.append({kind, data});
            });
        QVERIFY(m_accounts
                    ->addUser(QStringLiteral("alice"), QStringLiteral("correct horse battery"),
                              QJsonObject{{"*", QJsonArray{"approver"}}})
                    .ok());
    }

    void cleanup()
    {
        m_accounts.reset();
        m_store.reset();
        m_clock.advance(1000); // a fresh store file for the next test
    }

    void anApiTokenExpiresAtItsDeadline()
    {
        const auto created =
            m_accounts->createToken(QStringLiteral("alice"), QStringLiteral("ci"), 60'000);
        QVERIFY(created.ok());
        const auto [token, value] = *created;
        QCOMPARE(token.expiresAtMs, m_clock.nowMs() + 60'000);
        m_clock.set(token.expiresAtMs - 1);
        QCOMPARE(errorOf(value), QString());
        m_clock.set(token.expiresAtMs);
        QCOMPARE(errorOf(value), QStringLiteral("invalid_token"));
        m_clock.set(token.expiresAtMs + 1);
        QCOMPARE(errorOf(value), QStringLiteral("invalid_token"));
    }

    void aSessionExpiresAtItsDeadline()
    {
        const auto session =
            m_accounts->login(QStringLiteral("alice"), QStringLiteral("correct horse battery"),
                              QStringLiteral("127.0.0.1"));
        QVERIFY(session.ok());
        const auto &s = *session;
        QCOMPARE(s.expiresAtMs, m_clock.nowMs() + m_auth.sessionTtlMs);
        m_clock.set(s.expiresAtMs - 1);
        QCOMPARE(errorOf(s.token), QString());
        m_clock.set(s.expiresAtMs);
        QCOMPARE(errorOf(s.token), QStringLiteral("session_expired"));
        m_clock.set(s.expiresAtMs + 1);
        QCOMPARE(errorOf(s.token), QStringLiteral("session_expired"));
    }

    void aFreezeEndsAtItsDeadline()
    {
        protocol::FreezeInfo f;
        f.service = QStringLiteral("api");
        f.reason = QStringLiteral("after rollback #1");
        f.startedAtMs = m_clock.nowMs();
        f.untilMs = f.startedAtMs + 3'600'000;
        QVERIFY(m_store->freezes().insert(f) > 0);
        QVERIFY(m_store->freezes().active(QStringLiteral("api"), f.untilMs - 1));
        QVERIFY(!m_store->freezes().active(QStringLiteral("api"), f.untilMs));
        QVERIFY(!m_store->freezes().active(QStringLiteral("api"), f.untilMs + 1));
        QVERIFY(!m_store->freezes().active(QStringLiteral("api"), f.startedAtMs - 1));
    }

    // The sign-in that locks an address out raises one security alert; more failures from there
    // do not raise more.
    void repeatedFailedSignInsFromOneAddressAreASecurityAlert()
    {
        for (int i = 0; i < m_auth.maxFailedLogins - 1; ++i)
            (void)m_accounts->login(QStringLiteral("alice"), QStringLiteral("wrong"),
                                    QStringLiteral("10.0.0.7"));
        QVERIFY(m_alerts.isEmpty());
        (void)m_accounts->login(QStringLiteral("mallory"), QStringLiteral("wrong"),
                                QStringLiteral("10.0.0.7"));
        QCOMPARE(m_alerts.size(), 1);
        QCOMPARE(m_alerts.first().first, QStringLiteral("repeated_failed_logins"));
        QCOMPARE(m_alerts.first().second.value(QLatin1String("source")).toString(),
                 QStringLiteral("10.0.0.7"));
        const auto locked = m_accounts->login(QStringLiteral("alice"), QStringLiteral("wrong"),
                                              QStringLiteral("10.0.0.7"));
        QCOMPARE(locked.error().code, QStringLiteral("too_many_attempts"));
        QCOMPARE(m_alerts.size(), 1);
        // Failures from other addresses are their own count.
        (void)m_accounts->login(QStringLiteral("alice"), QStringLiteral("wrong"),
                                QStringLiteral("10.0.0.8"));
        QCOMPARE(m_alerts.size(), 1);
    }

    // A revoked token that is used again is refused and reported, once per lockout period.
    void aRevokedTokenUsedIsASecurityAlert()
    {
        const auto created =
            m_accounts->createToken(QStringLiteral("alice"), QStringLiteral("laptop"), 0);
        const auto [token, value] = *created;
        QCOMPARE(errorOf(value), QString());
        QVERIFY(m_alerts.isEmpty());
        const auto admin =
            auth::Accounts::principalOf(*m_store->users().find(QStringLiteral("alice")));
        QVERIFY(m_accounts->revokeToken(token.id, admin).ok());
        QCOMPARE(errorOf(value), QStringLiteral("invalid_token"));
        QCOMPARE(errorOf(value), QStringLiteral("invalid_token"));
        QCOMPARE(m_alerts.size(), 1);
        QCOMPARE(m_alerts.first().first, QStringLiteral("revoked_token_used"));
        QCOMPARE(m_alerts.first().second.value(QLatin1String("token")).toString(),
                 QStringLiteral("laptop"));
        m_clock.advance(m_auth.lockoutMs);
        QCOMPARE(errorOf(value), QStringLiteral("invalid_token"));
        QCOMPARE(m_alerts.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestDeadlines)
#include "tst_deadlines.moc"
