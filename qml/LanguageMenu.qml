import QtQuick
import QtQuick.Controls
import Rewind.Core

// The language of the dashboard: the system's, or one of those it is translated into.
Menu {
    id: root
    MenuItem {
        text: qsTr("System language")
        checkable: true
        checked: Dashboard.language === ""
        onTriggered: Dashboard.language = ""
    }
    Repeater {
        model: Dashboard.languages
        delegate: MenuItem {
            required property string modelData
            // Each language is named in itself, so that people find theirs.
            text: ({en: "English", it: "Italiano", ar: "العربية"})[modelData]
            checkable: true
            checked: Dashboard.language === modelData
            onTriggered: Dashboard.language = modelData
        }
    }
}
