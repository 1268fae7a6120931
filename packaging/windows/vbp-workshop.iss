; Per-user installer for Windows (Inno Setup 6.3+): no administrator rights needed.
;   iscc /DAppVersion=0.1.0 packaging\windows\vbp-workshop.iss
; Installs the one-folder bundle (dist\vbp-workshop, from packaging/build.sh) under
; %LOCALAPPDATA%\Programs\VBP Workshop, associates .vbpw for this user (HKA is HKCU in a per-user
; install), and adds a Start-menu shortcut that starts in Documents (Open/New start there).
; Estate-wide installs (MSI/MSIX via Intune, firewall, AppLocker): docs/INSTALL.md.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\vbp-workshop"
#endif
#define AppName "VBP Workshop"
#define AppExe "vbp-workshop.exe"
#define ProgId "VBPWorkshop.Workshop"

[Setup]
AppId={{6F1C2E4B-7A0D-4C55-9B2E-3D8A1F0E6C17}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=VBP Workshop
AppVerName={#AppName} {#AppVersion}
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\VBP Workshop
DisableDirPage=auto
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ChangesAssociations=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=VBP-Workshop-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; A new version replaces the runtime whole: no stale module from the last one.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Registry]
; .vbpw opens in the app (per user: HKA is HKCU\Software\Classes when PrivilegesRequired=lowest).
Root: HKA; Subkey: "Software\Classes\.vbpw\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.vbpw"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "VBP workshop"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".vbpw"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; WorkingDir: "{userdocs}"; Flags: nowait postinstall skipifsilent
