#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace rwd::fleet {

// The static assets of the assets service, on disk. The layout is a contract: Rewind's
// frontend strategy re-points the symlink with ln/mv commands during a rollback.
//
//   DIR/assets/VERSION/app.js   one directory per version
//   DIR/assets/current          symlink to the version served, normally the relative target
//                               "VERSION" (an absolute DIR/assets/VERSION works as well)
//
// nginx serves DIR/assets/current/ under /assets/ and resolves the link on every request, so
// replacing the link (a new link renamed over "current", which is atomic) switches versions
// with no reload. The fleet writes app.js as
//
//   window.APP_VERSION = "VERSION"; window.APP_OK = true;
//   window.APP_VERSION = "VERSION"; window.APP_OK = false; /* BROKEN */     (a broken build)
class AssetStore
{
public:
    explicit AssetStore(QString dir); // DIR/assets

    [[nodiscard]] const QString &dir() const { return m_dir; }
    [[nodiscard]] QString currentLink() const; // DIR/assets/current
    [[nodiscard]] QString appJsPath(const QString &version) const;

    [[nodiscard]] static QByteArray appJs(const QString &version, bool broken);

    // Creates DIR/assets, writes the initial version's app.js and points current at it.
    bool setUp(const QString &initialVersion, QString *error);

    // Writes DIR/assets/VERSION/app.js atomically (replacing an earlier one).
    bool write(const QString &version, bool broken, QString *error);
    [[nodiscard]] bool hasVersion(const QString &version) const;

    // Re-points current at version with a new symlink renamed over the old one. *previous gets
    // the version served before ("" if there was none).
    bool activate(const QString &version, QString *previous, QString *error);

    // The version current points to, or "" when it is missing or not a symlink.
    [[nodiscard]] QString currentVersion() const;
    // Every version directory holding an app.js, sorted.
    [[nodiscard]] QStringList versions() const;

    // {"dir","current","version","versions"}
    [[nodiscard]] QJsonObject stateJson() const;

private:
    QString m_dir;
};

} // namespace rwd::fleet
