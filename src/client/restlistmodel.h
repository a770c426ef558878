#pragma once

#include "restclient.h"

#include <QAbstractListModel>
#include <QVariantMap>

#include <functional>

namespace rwd::client {

// A list fetched from one REST route (incidents, rollback history, the audit log): each item of
// the answer's array becomes a row, converted to a map whose keys are the model's roles. A
// search text narrows the rows shown to those where some value contains it. refresh() fetches
// again (views call it when an event says the list changed).
class RestListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY loadingChanged)
    Q_PROPERTY(QString search READ search WRITE setSearch NOTIFY searchChanged)

public:
    using Convert = std::function<QVariantMap(const QJsonObject &)>;

    struct Source
    {
        QString path;     // e.g. /api/v1/incidents?limit=200
        QString arrayKey; // the answer's array, e.g. "incidents"
        QStringList keys; // the keys of each converted row, in role order
        Convert convert;
        // Paging by id (the audit log: ?after_id=N): fetch on from the last row's `id` while
        // full pages come back, keep at most `maxRows` (the newest), show newest first.
        bool pageByAfterId = false;
        int pageSize = 1000;
        int maxRows = 10'000;
    };

    RestListModel(RestClient *rest, Source source, QObject *parent = nullptr);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] int count() const { return int(m_shown.size()); }
    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] const QString &errorString() const { return m_error; }
    [[nodiscard]] const QString &search() const { return m_search; }
    void setSearch(const QString &search);

    Q_INVOKABLE void refresh();
    // Forgets every row (signing out).
    Q_INVOKABLE void clear();
    // The row shown at `row` as a map ({} outside).
    [[nodiscard]] Q_INVOKABLE QVariantMap get(int row) const;
    // The row whose "id" is `id` ({} if none is loaded).
    [[nodiscard]] Q_INVOKABLE QVariantMap byId(qint64 id) const;

signals:
    void countChanged();
    void loadingChanged();
    void searchChanged();

private:
    void fetch(qint64 afterId, QList<QVariantMap> collected, quint64 generation);
    void setRows(QList<QVariantMap> rows);
    void filter();
    [[nodiscard]] bool matches(const QVariantMap &row) const;

    RestClient *m_rest;
    Source m_source;
    QList<QVariantMap> m_rows;
    QList<int> m_shown; // indexes into m_rows of the rows that match the search
    QString m_search;
    QString m_error;
    bool m_loading = false;
    bool m_again = false; // a refresh was asked for while one ran
    quint64 m_generation = 0;
};

} // namespace rwd::client
