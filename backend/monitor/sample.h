#pragma once

#include <QString>

namespace rwd::monitor {

// One result of running a check once.
struct Sample
{
    qint64 timeMs = 0;  // when the probe finished
    bool ok = false;    // did the target pass the check
    double latency = 0; // seconds the probe took
    double value = 0;   // the check's number (http: the latency in seconds)
    int status = 0;     // protocol status where there is one (HTTP status), else 0
    QString error;      // why it failed, for people; empty when ok
};

} // namespace rwd::monitor
