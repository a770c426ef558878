#include "exposition.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <vector>

namespace rwd::monitor::exposition {

namespace {

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

bool isLetter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isMetricNameStart(char c)
{
    return isLetter(c) || c == '_' || c == ':';
}

bool isMetricNameChar(char c)
{
    return isMetricNameStart(c) || isDigit(c);
}

bool isLabelNameStart(char c)
{
    return isLetter(c) || c == '_';
}

bool isLabelNameChar(char c)
{
    return isLabelNameStart(c) || isDigit(c);
}

bool equalsIgnoringCase(QByteArrayView text, QByteArrayView word)
{
    return text.size() == word.size() &&
           std::equal(text.begin(), text.end(), word.begin(), [](char a, char b) {
               const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c + 32) : c; };
               return lower(a) == lower(b);
           });
}

QString quoted(QByteArrayView text)
{
    constexpr qsizetype kShown = 40;
    const auto shown = QString::fromUtf8(text.first(std::min(text.size(), kShown)));
    return QStringLiteral("'%1%2'").arg(shown,
                                        text.size() > kShown ? QStringLiteral("…") : QString());
}

QString formatSize(qsizetype bytes)
{
    constexpr qsizetype kMiB = 1024 * 1024;
    if (bytes >= kMiB && bytes % kMiB == 0)
        return QStringLiteral("%1 MiB").arg(bytes / kMiB);
    return QStringLiteral("%1 bytes").arg(bytes);
}

bool isWellFormedDecimal(QByteArrayView text)
{
    qsizetype i = 0;
    if (i < text.size() && (text.at(i) == '+' || text.at(i) == '-'))
        ++i;
    bool digits = false;
    while (i < text.size() && isDigit(text.at(i))) {
        ++i;
        digits = true;
    }
    if (i < text.size() && text.at(i) == '.') {
        ++i;
        while (i < text.size() && isDigit(text.at(i))) {
            ++i;
            digits = true;
        }
    }
    if (!digits)
        return false;
    if (i < text.size() && (text.at(i) == 'e' || text.at(i) == 'E')) {
        ++i;
        if (i < text.size() && (text.at(i) == '+' || text.at(i) == '-'))
            ++i;
        const auto exponentStart = i;
        while (i < text.size() && isDigit(text.at(i)))
            ++i;
        if (i == exponentStart)
            return false;
    }
    return i == text.size();
}

bool isTimestamp(QByteArrayView text)
{
    auto digits = text;
    if (digits.startsWith('+') || digits.startsWith('-'))
        digits = digits.sliced(1);
    if (digits.isEmpty() || !std::all_of(digits.begin(), digits.end(), isDigit))
        return false;
    qint64 value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return error == std::errc() && end == digits.data() + digits.size();
}

// The decimal exponent of the first significant digit of a well-formed decimal number, e.g. 2
// for "123.4" and -3 for "0.00123e0"; tells an overflow from an underflow.
qint64 magnitude(QByteArrayView digits)
{
    qint64 exponent = 0;
    const auto mantissaEnd =
        std::find_if(digits.begin(), digits.end(), [](char c) { return c == 'e' || c == 'E'; }) -
        digits.begin();
    if (mantissaEnd < digits.size()) {
        qsizetype e = mantissaEnd + 1;
        const bool negative = digits.at(e) == '-';
        if (digits.at(e) == '+' || digits.at(e) == '-')
            ++e;
        for (; e < digits.size(); ++e)
            exponent = std::min<qint64>(exponent * 10 + (digits.at(e) - '0'), 1'000'000'000);
        if (negative)
            exponent = -exponent;
    }
    qint64 position = 0; // of the first significant digit, relative to the units digit
    qsizetype point = digits.first(mantissaEnd).indexOf('.');
    if (point < 0)
        point = mantissaEnd;
    for (qsizetype i = 0; i < mantissaEnd; ++i) {
        const char c = digits.at(i);
        if (c != '0' && c != '.') {
            position = i < point ? point - i - 1 : point - i;
            break;
        }
    }
    return exponent + position;
}

// Reads one line at a time; positions are byte offsets into the current line until a failure
// is turned into a ParseError.
class Parser
{
public:
    Parser(QByteArrayView text, const Limits &limits, const NameFilter &keep)
        : m_text(text)
        , m_limits(limits)
        , m_keep(keep)
    {}

    ParseResult run()
    {
        ParseResult result;
        if (m_text.size() > m_limits.maxBytes) {
            result.error =
                ParseError{0, 0,
                           QStringLiteral("the input is %1, more than the limit of %2")
                               .arg(formatSize(m_text.size()), formatSize(m_limits.maxBytes))};
            return result;
        }
        qsizetype start = 0;
        int lineNumber = 0;
        while (start < m_text.size()) {
            qsizetype end = m_text.indexOf('\n', start);
            if (end < 0)
                end = m_text.size();
            m_line = m_text.sliced(start, end - start);
            if (m_line.endsWith('\r'))
                m_line.chop(1);
            m_pos = 0;
            ++lineNumber;
            if (!parseLine()) {
                result.error = ParseError{lineNumber, columnOf(m_failureOffset), m_failure};
                return result;
            }
            start = end + 1;
        }
        result.exposition = std::move(m_out);
        return result;
    }

private:
    [[nodiscard]] bool atEnd() const { return m_pos >= m_line.size(); }
    [[nodiscard]] char current() const { return atEnd() ? '\0' : m_line.at(m_pos); }

    void skipBlanks()
    {
        while (!atEnd() && isBlank(m_line.at(m_pos)))
            ++m_pos;
    }

    // Describes what is at `offset`, for "expected X, found Y".
    [[nodiscard]] QString found(qsizetype offset) const
    {
        if (offset >= m_line.size())
            return QStringLiteral("the end of the line");
        const auto c = static_cast<unsigned char>(m_line.at(offset));
        if (c >= 0x20 && c < 0x7f)
            return QStringLiteral("'%1'").arg(QChar(char16_t(c)));
        if (c >= 0x80) {
            // The whole UTF-8 character, so that the message shows what the user sees.
            qsizetype end = offset + 1;
            while (end < m_line.size() &&
                   (static_cast<unsigned char>(m_line.at(end)) & 0xc0) == 0x80)
                ++end;
            const auto character = QString::fromUtf8(m_line.sliced(offset, end - offset));
            if (!character.contains(QChar::ReplacementCharacter))
                return QStringLiteral("'%1'").arg(character);
        }
        return QStringLiteral("the byte 0x%1").arg(int(c), 2, 16, QLatin1Char('0'));
    }

    bool fail(qsizetype offset, QString message)
    {
        m_failureOffset = offset;
        m_failure = std::move(message);
        return false;
    }

    [[nodiscard]] int columnOf(qsizetype offset) const
    {
        const auto end = std::min(offset, m_line.size());
        int column = 1;
        for (qsizetype i = 0; i < end; ++i) {
            if ((static_cast<unsigned char>(m_line.at(i)) & 0xc0) != 0x80)
                ++column;
        }
        return column;
    }

    QByteArrayView readWord()
    {
        const auto start = m_pos;
        while (!atEnd() && !isBlank(m_line.at(m_pos)))
            ++m_pos;
        return m_line.sliced(start, m_pos - start);
    }

    QByteArrayView readMetricName()
    {
        const auto start = m_pos;
        if (!atEnd() && isMetricNameStart(m_line.at(m_pos))) {
            while (!atEnd() && isMetricNameChar(m_line.at(m_pos)))
                ++m_pos;
        }
        return m_line.sliced(start, m_pos - start);
    }

    bool parseLine()
    {
        skipBlanks();
        if (atEnd())
            return true;
        if (current() == '#')
            return parseComment();
        return parseSample();
    }

    bool parseComment()
    {
        ++m_pos;
        skipBlanks();
        const auto keyword = readWord();
        const bool help = keyword == "HELP";
        const bool type = keyword == "TYPE";
        skipBlanks();
        // "# HELP" or "# TYPE" alone, and any other comment, say nothing about metrics.
        if ((!help && !type) || atEnd())
            return true;
        const auto nameAt = m_pos;
        const auto name = readMetricName();
        if (name.isEmpty())
            return fail(m_pos, QStringLiteral("expected a metric name after %1, found %2")
                                   .arg(QString::fromLatin1(keyword), found(m_pos)));
        if (!atEnd() && !isBlank(current()))
            return fail(m_pos, QStringLiteral("unexpected %1 after the metric name '%2'")
                                   .arg(found(m_pos), QString::fromLatin1(name)));
        if (help)
            return true; // the docstring is free text
        skipBlanks();
        const auto typeAt = m_pos;
        const auto typeName = readWord();
        static const QHash<QByteArray, MetricType> kTypes{
            {"counter", MetricType::Counter},     {"gauge", MetricType::Gauge},
            {"histogram", MetricType::Histogram}, {"summary", MetricType::Summary},
            {"untyped", MetricType::Untyped},
        };
        if (typeName.isEmpty())
            return fail(typeAt, QStringLiteral("expected a metric type after '%1', found %2")
                                    .arg(QString::fromLatin1(name), found(typeAt)));
        const auto known = kTypes.constFind(typeName.toByteArray());
        if (known == kTypes.cend())
            return fail(typeAt, QStringLiteral("unknown metric type %1 (expected counter, gauge, "
                                               "histogram, summary or untyped)")
                                    .arg(quoted(typeName)));
        skipBlanks();
        if (!atEnd())
            return fail(m_pos,
                        QStringLiteral("unexpected %1 after the metric type").arg(found(m_pos)));
        const auto family = QString::fromLatin1(name);
        if (m_out.types.contains(family))
            return fail(nameAt, QStringLiteral("second TYPE line for metric '%1'").arg(family));
        if (m_out.types.size() >= m_limits.maxSeries)
            return fail(nameAt, QStringLiteral("more than %1 TYPE lines").arg(m_limits.maxSeries));
        m_out.types.insert(family, *known);
        return true;
    }

    struct RawLabel
    {
        QByteArrayView name;
        qsizetype offset = 0; // of the name, for "appears twice"
        QByteArray value;     // unescaped; filled only for series that are kept
    };

    bool parseSample()
    {
        if (++m_seriesSeen > m_limits.maxSeries)
            return fail(m_pos, QStringLiteral("more than %1 series").arg(m_limits.maxSeries));
        const auto name = readMetricName();
        if (name.isEmpty())
            return fail(m_pos, QStringLiteral("expected a metric name, a comment or an empty line, "
                                              "found %1")
                                   .arg(found(m_pos)));
        const bool keep = !m_keep || m_keep(name);
        m_labels.clear();
        const auto afterName = m_pos;
        skipBlanks();
        if (current() == '{') {
            if (!parseLabels(keep))
                return false;
            skipBlanks();
        } else if (m_pos == afterName && !atEnd()) {
            return fail(m_pos, QStringLiteral("expected '{' or a space after the metric name, "
                                              "found %1")
                                   .arg(found(m_pos)));
        }
        const auto valueAt = m_pos;
        const auto valueText = readWord();
        if (valueText.isEmpty())
            return fail(valueAt, QStringLiteral("expected a value, found %1").arg(found(valueAt)));
        const auto value = parseNumber(valueText);
        if (!value) {
            // Well-formed digits that still fail are beyond the range of a double.
            const bool tooLarge = isWellFormedDecimal(valueText);
            return fail(valueAt,
                        tooLarge
                            ? QStringLiteral("the value %1 is out of range").arg(quoted(valueText))
                            : QStringLiteral("invalid value %1 (expected a number, "
                                             "NaN, +Inf or -Inf)")
                                  .arg(quoted(valueText)));
        }
        skipBlanks();
        if (!atEnd()) {
            const auto timestampAt = m_pos;
            const auto timestamp = readWord();
            if (!isTimestamp(timestamp))
                return fail(timestampAt, QStringLiteral("invalid timestamp %1 (expected whole "
                                                        "milliseconds since the epoch)")
                                             .arg(quoted(timestamp)));
            skipBlanks();
            if (!atEnd())
                return fail(m_pos,
                            QStringLiteral("unexpected %1 after the timestamp").arg(found(m_pos)));
        }
        if (!checkDuplicateLabels())
            return false;
        if (keep)
            store(name, *value);
        return true;
    }

    bool parseLabels(bool keep)
    {
        ++m_pos; // '{'
        for (;;) {
            skipBlanks();
            if (current() == '}') {
                ++m_pos;
                return true;
            }
            const auto nameAt = m_pos;
            if (atEnd() || !isLabelNameStart(current()))
                return fail(
                    m_pos,
                    QStringLiteral("expected a label name or '}', found %1").arg(found(m_pos)));
            while (!atEnd() && isLabelNameChar(current()))
                ++m_pos;
            RawLabel label{m_line.sliced(nameAt, m_pos - nameAt), nameAt, {}};
            const auto labelName = QString::fromLatin1(label.name);
            skipBlanks();
            if (current() != '=' || atEnd())
                return fail(m_pos, QStringLiteral("expected '=' after label name '%1', found %2")
                                       .arg(labelName, found(m_pos)));
            ++m_pos;
            skipBlanks();
            if (current() != '"' || atEnd())
                return fail(m_pos, QStringLiteral("expected '\"' to start the value of label '%1', "
                                                  "found %2")
                                       .arg(labelName, found(m_pos)));
            ++m_pos;
            if (!parseLabelValue(labelName, keep ? &label.value : nullptr))
                return false;
            m_labels.push_back(std::move(label));
            skipBlanks();
            if (current() == ',' && !atEnd()) {
                ++m_pos;
                continue;
            }
            if (current() != '}' || atEnd())
                return fail(m_pos, QStringLiteral("expected ',' or '}' after the value of label "
                                                  "'%1', found %2")
                                       .arg(labelName, found(m_pos)));
        }
    }

    // After the opening quote; leaves m_pos after the closing one. Decodes into `out` if given.
    bool parseLabelValue(const QString &labelName, QByteArray *out)
    {
        for (;;) {
            if (atEnd())
                return fail(m_pos, QStringLiteral("the value of label '%1' is not closed: "
                                                  "expected '\"', found the end of the line")
                                       .arg(labelName));
            const char c = m_line.at(m_pos);
            if (c == '"') {
                ++m_pos;
                return true;
            }
            if (c == '\\') {
                const char next = m_pos + 1 < m_line.size() ? m_line.at(m_pos + 1) : '\0';
                if (next != '\\' && next != '"' && next != 'n')
                    return fail(m_pos, QStringLiteral("invalid escape in the value of label '%1' "
                                                      "(only \\\\, \\\" and \\n are allowed)")
                                           .arg(labelName));
                if (out)
                    out->append(next == 'n' ? '\n' : next);
                m_pos += 2;
                continue;
            }
            if (out)
                out->append(c);
            ++m_pos;
        }
    }

    bool checkDuplicateLabels()
    {
        if (m_labels.size() < 2)
            return true;
        // Sorting keeps this O(n log n) even for a line with very many labels.
        std::vector<const RawLabel *> byName;
        byName.reserve(m_labels.size());
        for (const auto &l : m_labels)
            byName.push_back(&l);
        std::sort(byName.begin(), byName.end(), [](const RawLabel *a, const RawLabel *b) {
            return a->name != b->name ? a->name < b->name : a->offset < b->offset;
        });
        const RawLabel *duplicate = nullptr;
        for (std::size_t i = 1; i < byName.size(); ++i) {
            if (byName[i]->name == byName[i - 1]->name &&
                (!duplicate || byName[i]->offset < duplicate->offset))
                duplicate = byName[i];
        }
        if (!duplicate)
            return true;
        return fail(
            duplicate->offset,
            QStringLiteral("label '%1' appears twice").arg(QString::fromLatin1(duplicate->name)));
    }

    void store(QByteArrayView name, double value)
    {
        Series s;
        s.name = QString::fromLatin1(name);
        s.value = value;
        s.labels.reserve(qsizetype(m_labels.size()));
        for (const auto &l : m_labels) {
            if (!l.value.isEmpty())
                s.labels.append({QString::fromLatin1(l.name), QString::fromUtf8(l.value)});
        }
        std::sort(s.labels.begin(), s.labels.end(),
                  [](const auto &a, const auto &b) { return a.first < b.first; });
        m_out.series.append(std::move(s));
    }

    QByteArrayView m_text;
    const Limits &m_limits;
    const NameFilter &m_keep;
    QByteArrayView m_line;
    qsizetype m_pos = 0;
    qsizetype m_seriesSeen = 0;
    std::vector<RawLabel> m_labels;
    Exposition m_out;
    qsizetype m_failureOffset = 0;
    QString m_failure;
};

} // namespace

QString Series::label(const QString &labelName) const
{
    for (const auto &[key, labelValue] : labels) {
        if (key == labelName)
            return labelValue;
    }
    return {};
}

QString ParseError::toString() const
{
    if (line <= 0)
        return message;
    return QStringLiteral("%1:%2: %3").arg(line).arg(column).arg(message);
}

std::optional<double> parseNumber(QByteArrayView text)
{
    if (text.isEmpty())
        return std::nullopt;
    const bool negative = text.front() == '-';
    const bool signed_ = negative || text.front() == '+';
    const auto unsignedText = signed_ ? text.sliced(1) : text;
    if (equalsIgnoringCase(unsignedText, "inf") || equalsIgnoringCase(unsignedText, "infinity"))
        return negative ? -std::numeric_limits<double>::infinity()
                        : std::numeric_limits<double>::infinity();
    if (!signed_ && equalsIgnoringCase(text, "nan"))
        return std::numeric_limits<double>::quiet_NaN();
    if (!isWellFormedDecimal(text))
        return std::nullopt;
    // from_chars is locale-independent (strtod is not, and QCoreApplication sets the locale) but
    // does not take a leading '+'.
    double value = 0;
    const auto [end, error] =
        std::from_chars(unsignedText.data(), unsignedText.data() + unsignedText.size(), value);
    if (error == std::errc::result_out_of_range) {
        // Go's ParseFloat, which Prometheus uses, rounds an underflow to zero and refuses an
        // overflow.
        if (magnitude(unsignedText) < 0)
            return negative ? -0.0 : 0.0;
        return std::nullopt;
    }
    if (error != std::errc() || end != unsignedText.data() + unsignedText.size())
        return std::nullopt;
    return negative ? -value : value;
}

ParseResult parse(QByteArrayView text, const Limits &limits, const NameFilter &keep)
{
    return Parser(text, limits, keep).run();
}

} // namespace rwd::monitor::exposition
