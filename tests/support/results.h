#pragma once

#include "common/result.h"

#include <QString>
#include <QTest>

namespace rwd::testing {

// Why `result` failed, or nothing when it did not: the description of a QVERIFY2, as in
// QVERIFY2(opened, qPrintable(testing::why(opened))).
template<typename T>
[[nodiscard]] QString why(const Result<T> &result)
{
    return result ? QString() : result.error().message;
}

} // namespace rwd::testing

// Verifies that `expression` (a Result) succeeded, showing why it did not: evaluated once.
#define REWIND_VERIFY_OK(expression)                                                               \
    do {                                                                                           \
        const auto verified_ = (expression);                                                       \
        QVERIFY2(verified_, qPrintable(rwd::testing::why(verified_)));                             \
    } while (false)
