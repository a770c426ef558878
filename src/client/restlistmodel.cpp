#include "restlistmodel.h"

#include <QJsonArray>
#include <QJsonObject>

namespace rwd::client {

RestListModel::RestListModel(RestClient *rest, Source source, QObject *parent)
    : QAbstractListModel(parent)
    , m_rest(rest)
    , m_source(std::move(source))
{}

int RestListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_shown.size());
}

QVariant RestListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int key = role - Qt::UserRole - 1;
    if (key < 0 || key >= m_source.keys.size())
        return {};
    return m_rows.at(m_shown.at(index.row())).value(m_source.keys.at(key));
}

QHash<int, QByteArray> RestListModel::roleNames() const
{
    QHash<int, QByteArray> names;
    for (int i = 0; i < m_source.keys.size(); ++i)
        names.insert(Qt::UserRole + 1 + i, m_source.keys.at(i).toUtf8());
    return names;
}

void RestListModel::setSearch(const QString &search)
{
    const auto lowered = search.trimmed().toLower();
    if (lowered == m_search)
        return;
    m_search = lowered;
    emit searchChanged();
    beginResetModel();
    filter();
    endResetModel();
    emit countChanged();
}

void RestListModel::refresh()
{
    if (m_loading) {
        m_again = true;
        return;
    }
    m_loading = true;
    emit loadingChanged();
    fetch(0, {}, ++m_generation);
}

void RestListModel::clear()
{
    ++m_generation;
    m_loading = false;
    m_again = false;
    m_error.clear();
    setRows({});
    emit loadingChanged();
}

void RestListModel::fetch(qint64 afterId, QList<QVariantMap> collected, quint64 generation)
{
    QString path = m_source.path;
    if (m_source.pageByAfterId) {
        path += (path.contains(u'?') ? u'&' : u'?') +
                QStringLiteral("after_id=%1&limit=%2").arg(afterId).arg(m_source.pageSize);
    }
    m_rest->get(
        path, [this, generation, collected = std::move(collected)](const RestResult &r) mutable {
            if (generation != m_generation)
                return; // cleared or superseded
            if (!r.ok()) {
                m_error = r.error->message;
                m_loading = false;
                emit loadingChanged();
                return;
            }
            const auto items = r.body.object().value(m_source.arrayKey).toArray();
            qint64 lastId = 0;
            for (const auto &item : items) {
                const auto object = item.toObject();
                lastId = std::max(lastId, object.value(QLatin1String("id")).toInteger());
                collected.append(m_source.convert(object));
            }
            if (m_source.pageByAfterId) {
                if (collected.size() > m_source.maxRows)
                    collected.erase(collected.begin(),
                                    collected.begin() + (collected.size() - m_source.maxRows));
                if (items.size() >= m_source.pageSize && lastId > 0) {
                    fetch(lastId, std::move(collected), generation);
                    return;
                }
                std::reverse(collected.begin(), collected.end());
            }
            m_error.clear();
            m_loading = false;
            setRows(std::move(collected));
            emit loadingChanged();
            if (std::exchange(m_again, false))
                refresh();
        });
}

void RestListModel::setRows(QList<QVariantMap> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    filter();
    endResetModel();
    emit countChanged();
}

bool RestListModel::matches(const QVariantMap &row) const
{
    if (m_search.isEmpty())
        return true;
    for (auto it = row.cbegin(); it != row.cend(); ++it) {
        const auto &value = it.value();
        if (value.typeId() == QMetaType::QStringList) {
            for (const auto &s : value.toStringList()) {
                if (s.toLower().contains(m_search))
                    return true;
            }
        } else if (value.canConvert<QString>() && value.toString().toLower().contains(m_search)) {
            return true;
        }
    }
    return false;
}

void RestListModel::filter()
{
    m_shown.clear();
    for (int i = 0; i < m_rows.size(); ++i) {
        if (matches(m_rows.at(i)))
            m_shown.append(i);
    }
}

QVariantMap RestListModel::get(int row) const
{
    return row >= 0 && row < m_shown.size() ? m_rows.at(m_shown.at(row)) : QVariantMap();
}

QVariantMap RestListModel::byId(qint64 id) const
{
    for (const auto &row : m_rows) {
        if (row.value(QStringLiteral("id")).toLongLong() == id)
            return row;
    }
    return {};
}

} // namespace rwd::client
