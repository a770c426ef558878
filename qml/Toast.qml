import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A notification shown for a few seconds at the bottom of the window.
Popup {
    id: root
    property string title
    property string text
    property bool urgent
    x: (parent.width - width) / 2
    y: parent.height - height - 24
    width: Math.min(parent.width - 48, 520)
    padding: 14
    closePolicy: Popup.CloseOnPressOutside | Popup.CloseOnEscape
    background: Rectangle {
        radius: 8
        color: root.urgent ? "#b71c1c" : "#263238"
        opacity: 0.95
    }
    ColumnLayout {
        width: parent.width
        Label { text: root.title; color: "white"; font.bold: true; Layout.fillWidth: true; wrapMode: Text.Wrap }
        Label { text: root.text; color: "white"; opacity: 0.9; Layout.fillWidth: true; wrapMode: Text.Wrap; visible: text !== "" }
    }
    Timer { id: timer; interval: 6000; onTriggered: root.close() }

    function show(title, text, urgent) {
        root.title = title
        root.text = text
        root.urgent = urgent
        root.open()
        timer.restart()
    }
}
