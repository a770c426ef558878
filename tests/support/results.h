#pragma once

#include "common/result.h"

#include <QString>

namespace rwd::testing {

// Why `result` failed, or nothing when it did not: the description of a QVERIFY2, as in
// QVERIFY2(opened, qPrintable(testing::why(opened))).
template<typename T>
[[nodiscard]] QString why(const Result<T> &result)
{
    return result ? QString() : result.error().message;
}

} // namespace rwd::testing
