import QtQuick
import QtQuick.Controls

// A coloured dot with the health word next to it.
Row {
    id: root
    required property string health
    readonly property alias text: word.text
    spacing: 6

    readonly property color colour: {
        switch (root.health) {
        case "healthy": return "#2e7d32"
        case "degraded": return "#ef8f00"
        case "failing": return "#c62828"
        default: return "#8a8a8a"
        }
    }

    Rectangle {
        width: 12; height: 12; radius: 6
        anchors.verticalCenter: parent.verticalCenter
        color: root.colour
    }
    Label {
        id: word
        text: {
            switch (root.health) {
            case "healthy": return qsTr("healthy")
            case "degraded": return qsTr("degraded")
            case "failing": return qsTr("failing")
            default: return qsTr("no data")
            }
        }
        color: root.colour
        font.bold: true
    }
}
