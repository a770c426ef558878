#include "snapshotfiles.h"

#include "config/config.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>

#include <algorithm>

namespace rwd::executors::database {

Retention readRetention(config::MapReader &r, const config::Config &config)
{
    Retention out;
    out.dir = config.resolvePath(QStringLiteral("snapshots"));
    const auto node = r.value(QStringLiteral("snapshots"));
    if (node.isNull())
        return out;
    config::MapReader s(node, r.diagnostics(), QStringLiteral("snapshots of ") + r.what());
    out.dir = config.resolvePath(s.string(QStringLiteral("dir"), QStringLiteral("snapshots")));
    out.keep = int(s.integer(QStringLiteral("keep"), 1, 10'000).value_or(out.keep));
    out.maxAgeMs = s.durationMs(QStringLiteral("max_age"), out.maxAgeMs);
    s.finish();
    return out;
}

bool isSnapshotName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"));
    return re.match(name).hasMatch();
}

QString sidecarPath(const QString &dir, const QString &name)
{
    return QDir(dir).filePath(name + QStringLiteral(".json"));
}

Result<QString> sha256File(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return failure(QStringLiteral("cannot read %1").arg(path));
    return QString::fromLatin1(hash.result().toHex());
}

Result<void> writeSidecar(const QString &path, const QJsonObject &sidecar)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(QJsonDocument(sidecar).toJson(QJsonDocument::Indented)) < 0 || !file.commit()) {
        return failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    }
    return {};
}

Result<QJsonObject> readSidecar(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(
            QStringLiteral("no snapshot description %1: %2").arg(path, file.errorString()));
    QJsonParseError parse{};
    const auto doc = QJsonDocument::fromJson(file.readAll(), &parse);
    if (!doc.isObject())
        return failure(
            QStringLiteral("%1 is not a snapshot description: %2").arg(path, parse.errorString()));
    return doc.object();
}

QStringList prune(const Retention &retention, const QString &prefix, const QString &except,
                  qint64 nowMs)
{
    struct Entry
    {
        QString name;
        QString file;
        qint64 createdMs;
    };
    QList<Entry> entries;
    const QDir dir(retention.dir);
    for (const auto &json : dir.entryList({prefix + QStringLiteral("*.json")}, QDir::Files)) {
        const auto sidecar = readSidecar(dir.filePath(json));
        if (!sidecar)
            continue;
        entries.append({sidecar->value(QLatin1String("name")).toString(),
                        sidecar->value(QLatin1String("file")).toString(),
                        sidecar->value(QLatin1String("created_at_ms")).toInteger()});
    }
    std::sort(entries.begin(), entries.end(),
              [](const Entry &a, const Entry &b) { return a.createdMs > b.createdMs; });
    QStringList removed;
    for (int i = 0; i < entries.size(); ++i) {
        const auto &e = entries.at(i);
        if (e.name == except || e.name.isEmpty())
            continue;
        if (i < retention.keep && nowMs - e.createdMs <= retention.maxAgeMs)
            continue;
        if (!e.file.isEmpty())
            QFile::remove(dir.filePath(QFileInfo(e.file).fileName()));
        QFile::remove(sidecarPath(retention.dir, e.name));
        removed.append(e.name);
    }
    return removed;
}

QJsonObject statsJson(const TableStats &s)
{
    QJsonObject o{{"rows", s.rows}};
    if (s.hasMaxKey)
        o.insert(QStringLiteral("max_key"), s.maxKey);
    if (!s.checksum.isEmpty())
        o.insert(QStringLiteral("checksum"), s.checksum);
    return o;
}

QStringList compareTables(const QJsonArray &declared, const QJsonObject &atSnapshot,
                          const QHash<QString, TableStats> &now, QString *report)
{
    QStringList problems;
    QStringList lines;
    for (const auto &d : declared) {
        const auto table = d.toObject();
        const QString name = table.value(QLatin1String("name")).toString();
        const auto before = atSnapshot.value(name).toObject();
        const auto it = now.constFind(name);
        if (it == now.cend()) {
            problems.append(QStringLiteral("table %1 is missing").arg(name));
            continue;
        }
        const qint64 rowsBefore = before.value(QLatin1String("rows")).toInteger();
        QString line = QStringLiteral("%1: %2 rows (%3 at the snapshot)")
                           .arg(name)
                           .arg(it->rows)
                           .arg(rowsBefore);
        if (before.contains(QLatin1String("max_key"))) {
            // `rows` of `now` counts only rows up to the snapshot's largest key here.
            if (it->rows < rowsBefore)
                problems.append(QStringLiteral("table %1 lost %2 of the %3 rows it had at the "
                                               "snapshot")
                                    .arg(name)
                                    .arg(rowsBefore - it->rows)
                                    .arg(rowsBefore));
            line = QStringLiteral("%1: %2 of the %3 rows at the snapshot still there, %4 now")
                       .arg(name)
                       .arg(it->rows)
                       .arg(rowsBefore)
                       .arg(it->totalRows);
        } else if (it->rows < rowsBefore) {
            problems.append(
                QStringLiteral("table %1 has %2 rows, fewer than the %3 at the snapshot")
                    .arg(name)
                    .arg(it->rows)
                    .arg(rowsBefore));
        }
        const QString checksum = before.value(QLatin1String("checksum")).toString();
        if (!checksum.isEmpty()) {
            if (checksum != it->checksum)
                problems.append(QStringLiteral("table %1 changed: its checksum differs from the "
                                               "snapshot's")
                                    .arg(name));
            else
                line += QStringLiteral(", checksum matches");
        }
        lines.append(line);
    }
    *report = lines.join(QStringLiteral("; "));
    return problems;
}

bool isTruthy(const QString &value)
{
    const QString v = value.trimmed().toLower();
    if (v == u"t" || v == u"true")
        return true;
    bool ok = false;
    const double number = v.toDouble(&ok);
    return ok && number != 0;
}

} // namespace rwd::executors::database
