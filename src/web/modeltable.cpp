#include "modeltable.h"

#include <QDateTime>
#include <QHeaderView>

namespace rwd::web {

ModelTable::ModelTable(QAbstractItemModel *model, QList<Column> columns, QWidget *parent)
    : QTableWidget(parent)
    , m_model(model)
    , m_columns(std::move(columns))
{
    const auto names = model->roleNames();
    QStringList headers;
    for (const auto &c : m_columns) {
        m_roles.append(names.key(c.role, -1));
        headers.append(c.header);
    }
    setColumnCount(int(m_columns.size()));
    setHorizontalHeaderLabels(headers);
    setEditTriggers(NoEditTriggers);
    setSelectionBehavior(SelectRows);
    setSelectionMode(SingleSelection);
    setAlternatingRowColors(true);
    verticalHeader()->hide();
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    connect(model, &QAbstractItemModel::modelReset, this, &ModelTable::rebuild);
    connect(model, &QAbstractItemModel::rowsInserted, this, &ModelTable::rebuild);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &ModelTable::rebuild);
    connect(model, &QAbstractItemModel::rowsMoved, this, &ModelTable::rebuild);
    connect(model, &QAbstractItemModel::dataChanged, this, &ModelTable::rebuild);
    connect(model, &QAbstractItemModel::layoutChanged, this, &ModelTable::rebuild);
    connect(this, &QTableWidget::itemSelectionChanged, this, &ModelTable::selectionMoved);
    rebuild();
}

QString ModelTable::display(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QDateTime: {
        const auto t = value.toDateTime();
        return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                           : QString();
    }
    case QMetaType::QStringList:
        return value.toStringList().join(QStringLiteral(", "));
    case QMetaType::Bool:
        return value.toBool() ? QStringLiteral("✓") : QString();
    case QMetaType::QVariantList: {
        QStringList parts;
        for (const auto &v : value.toList())
            parts.append(display(v));
        return parts.join(QStringLiteral(", "));
    }
    default:
        return value.toString();
    }
}

QVariant ModelTable::value(int row, const QByteArray &role) const
{
    const int r = m_model->roleNames().key(role, -1);
    if (row < 0 || row >= m_model->rowCount() || r < 0)
        return {};
    return m_model->index(row, 0).data(r);
}

QVariant ModelTable::selectedValue(const QByteArray &role) const
{
    const auto rows = selectionModel()->selectedRows();
    return rows.isEmpty() ? QVariant() : value(rows.first().row(), role);
}

void ModelTable::setHeaders(const QStringList &headers)
{
    setHorizontalHeaderLabels(headers);
}

void ModelTable::rebuild()
{
    const auto selected = selectionModel()->selectedRows();
    const int keep = selected.isEmpty() ? -1 : selected.first().row();
    const int rows = m_model->rowCount();
    setRowCount(rows);
    for (int row = 0; row < rows; ++row) {
        const auto index = m_model->index(row, 0);
        for (int col = 0; col < m_columns.size(); ++col) {
            const QString text = m_roles[col] < 0 ? QString() : display(index.data(m_roles[col]));
            auto *cell = item(row, col);
            if (!cell) {
                cell = new QTableWidgetItem;
                setItem(row, col, cell);
            }
            cell->setText(text);
        }
    }
    if (keep >= 0 && keep < rows)
        selectRow(keep);
    else if (rows > 0 && keep >= 0)
        selectRow(rows - 1);
    emit selectionMoved();
}

} // namespace rwd::web
