#pragma once

#include <QAbstractItemModel>
#include <QTableWidget>

namespace rwd::web {

// A read-only table over one of the core's list models: each column shows one role (by its
// QML role name, the same names the desktop's views bind to). Rebuilt whenever the model
// changes; the models are small (a page of history, the fleet's services).
class ModelTable final : public QTableWidget
{
    Q_OBJECT

public:
    struct Column
    {
        QString header;
        QByteArray role;
    };

    ModelTable(QAbstractItemModel *model, QList<Column> columns, QWidget *parent = nullptr);

    // The model's value of `role` in the selected row (invalid when nothing is selected).
    [[nodiscard]] QVariant selectedValue(const QByteArray &role) const;
    [[nodiscard]] QVariant value(int row, const QByteArray &role) const;
    // Sets the headers again (after a language change).
    void setHeaders(const QStringList &headers);

    [[nodiscard]] static QString display(const QVariant &value);

signals:
    void selectionMoved();

private:
    void rebuild();

    QAbstractItemModel *m_model;
    QList<Column> m_columns;
    QList<int> m_roles;
};

} // namespace rwd::web
