import QtQuick
import QtQuick.Controls

// A number with its label, in the overview's header.
Rectangle {
    id: root
    property string label
    property int value
    property color colour
    implicitWidth: row.implicitWidth + 20
    implicitHeight: 34
    radius: 17
    color: Qt.rgba(colour.r, colour.g, colour.b, 0.14)
    border.color: Qt.rgba(colour.r, colour.g, colour.b, 0.5)
    Accessible.name: label + ": " + value
    Row {
        id: row
        anchors.centerIn: parent
        spacing: 6
        Label { text: root.value; font.bold: true; font.pixelSize: 16; color: root.colour }
        Label { text: root.label; anchors.verticalCenter: parent.verticalCenter }
    }
}
