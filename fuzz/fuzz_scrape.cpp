// Fuzz target for the Prometheus exposition parser used by `type: scrape` checks: any bytes must
// give either series or an error with a position, without crashing, hanging or reading out of
// bounds.
#include "monitor/checks/scrape/exposition.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace rwd::monitor::exposition;
    const QByteArrayView text(reinterpret_cast<const char *>(data), qsizetype(size));

    // Small limits so that the limit paths are reached too.
    const auto all = parse(text, Limits{1 << 20, 1000});
    if (all.ok()) {
        for (const auto &series : all.exposition.series) {
            if (series.name.isEmpty())
                __builtin_trap();
        }
    } else if (all.error->message.isEmpty()) {
        __builtin_trap();
    }

    // The path a scrape check takes: only some metric names are decoded and kept. Validity must
    // not depend on the filter.
    const auto some = parse(text, Limits{1 << 20, 1000},
                            [](QByteArrayView name) { return name.size() % 2 == 0; });
    if (some.ok() != all.ok())
        __builtin_trap();
    if (!some.ok() &&
        (some.error->line != all.error->line || some.error->column != all.error->column))
        __builtin_trap();

    if (size <= 64)
        (void)parseNumber(text);
    return 0;
}
