#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace rwd::store {

// One step of the schema's history. Versions are consecutive from 1 and never edited once
// released: a change to the schema is a new migration.
struct Migration
{
    int version = 0;
    QString description;
    QStringList statements;
};

[[nodiscard]] const QList<Migration> &migrations();

} // namespace rwd::store
