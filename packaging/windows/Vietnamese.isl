; KH75 Desktop's own Vietnamese messages for Inno Setup 6, written for this project.
; The installer reads Inno Setup's Default.isl first and then this file
; (MessagesFile: "compiler:Default.isl,Vietnamese.isl"), so every message named here replaces
; the English one and any message not named keeps its English text: nothing is ever missing,
; whichever Inno Setup 6 version compiles it (only names Inno Setup 6.0 already had are used).
; The messages are those a per-user install,
; upgrade and uninstall show; rare errors stay in English. %1, %2 … are filled in by Setup,
; %n is a line break. Saved as UTF-8 with a BOM, which Inno Setup needs to read Vietnamese.

[LangOptions]
LanguageName=Tiếng Việt
LanguageID=$042A
LanguageCodePage=0

[Messages]
; *** Application titles
SetupAppTitle=Cài đặt
SetupWindowTitle=Cài đặt %1
UninstallAppTitle=Gỡ cài đặt
UninstallAppFullTitle=Gỡ cài đặt %1

; *** Misc. common
InformationTitle=Thông tin
ConfirmTitle=Xác nhận
ErrorTitle=Lỗi

; *** SetupLdr messages
SetupLdrStartupMessage=Chương trình này sẽ cài đặt %1. Tiếp tục?
LdrCannotCreateTemp=Không tạo được tệp tạm. Việc cài đặt dừng lại
LdrCannotExecTemp=Không chạy được tệp trong thư mục tạm. Việc cài đặt dừng lại

; *** Startup error messages
LastErrorMessage=%1.%n%nLỗi %2: %3
SetupFileMissing=Thiếu tệp %1 trong thư mục cài đặt. Hãy chép lại bộ cài hoặc xin một bản mới.
SetupFileCorrupt=Tệp cài đặt bị hỏng. Hãy chép lại bộ cài hoặc xin một bản mới.
SetupFileCorruptOrWrongVer=Tệp cài đặt bị hỏng hoặc không hợp với phiên bản Cài đặt này. Hãy chép lại bộ cài hoặc xin một bản mới.
SetupAlreadyRunning=Chương trình Cài đặt đang chạy rồi.
WindowsVersionNotSupported=Chương trình này không chạy được trên phiên bản Windows của máy này.
OnlyOnTheseArchitectures=Chương trình này chỉ cài được trên Windows cho các loại bộ xử lý sau:%n%n%1
WinVersionTooLowError=Chương trình này cần %1 phiên bản %2 hoặc mới hơn.
WinVersionTooHighError=Chương trình này không cài được trên %1 phiên bản %2 hoặc mới hơn.
SetupAppRunningError=Cài đặt thấy %1 đang mở.%n%nHãy đóng mọi cửa sổ của chương trình rồi bấm OK để tiếp tục, hoặc Hủy để thoát.
UninstallAppRunningError=Gỡ cài đặt thấy %1 đang mở.%n%nHãy đóng mọi cửa sổ của chương trình rồi bấm OK để tiếp tục, hoặc Hủy để thoát.

; *** Startup questions
ErrorCreatingDir=Cài đặt không tạo được thư mục "%1"
ErrorTooManyFilesInDir=Không tạo được tệp trong thư mục "%1" vì thư mục có quá nhiều tệp

; *** Setup common messages
ExitSetupTitle=Thoát Cài đặt
ExitSetupMessage=Việc cài đặt chưa xong. Nếu thoát bây giờ, chương trình sẽ không được cài.%n%nCó thể chạy lại Cài đặt vào lúc khác để cài cho xong.%n%nThoát Cài đặt?
AboutSetupMenuItem=&Về chương trình Cài đặt...
AboutSetupTitle=Về chương trình Cài đặt
AboutSetupMessage=%1 phiên bản %2%n%3%n%n%1 trang chủ:%n%4
AboutSetupNote=
TranslatorNote=Bản tiếng Việt của KH75 Desktop.

; *** Buttons
ButtonBack=< &Quay lại
ButtonNext=&Tiếp >
ButtonInstall=&Cài đặt
ButtonOK=OK
ButtonCancel=Hủy
ButtonYes=&Có
ButtonYesToAll=Có với &tất cả
ButtonNo=&Không
ButtonNoToAll=Không với tất &cả
ButtonFinish=&Xong
ButtonBrowse=&Chọn...
ButtonWizardBrowse=C&họn...
ButtonNewFolder=&Tạo thư mục mới

; *** "Select Language" dialog messages
SelectLanguageTitle=Chọn ngôn ngữ cài đặt
SelectLanguageLabel=Chọn ngôn ngữ dùng trong khi cài đặt.

; *** Common wizard text
ClickNext=Bấm Tiếp để tiếp tục, hoặc Hủy để thoát Cài đặt.
BeveledLabel=
BrowseDialogTitle=Chọn thư mục
BrowseDialogLabel=Chọn một thư mục trong danh sách rồi bấm OK.
NewFolderName=Thư mục mới

; *** "Welcome" wizard page
WelcomeLabel1=Chào mừng đến với chương trình cài đặt [name]
WelcomeLabel2=Chương trình sẽ cài [name/ver] vào máy tính này.%n%nNên đóng các chương trình khác trước khi tiếp tục.

; *** "Select Destination Location" wizard page
WizardSelectDir=Chọn nơi cài đặt
SelectDirDesc=Cài [name] vào đâu?
SelectDirLabel3=Cài đặt sẽ cài [name] vào thư mục sau.
SelectDirBrowseLabel=Bấm Tiếp để tiếp tục. Muốn chọn thư mục khác, bấm Chọn.
DiskSpaceMBLabel=Cần ít nhất [mb] MB chỗ trống trên ổ đĩa.
CannotInstallToNetworkDrive=Không cài được vào ổ đĩa mạng.
CannotInstallToUNCPath=Không cài được vào đường dẫn mạng (UNC).
InvalidPath=Cần nhập đường dẫn đầy đủ có tên ổ đĩa, ví dụ:%n%nC:\APP%n%nhoặc đường dẫn mạng dạng:%n%n\\server\share
InvalidDrive=Ổ đĩa hoặc thư mục mạng đã chọn không có hoặc không mở được. Hãy chọn nơi khác.
DiskSpaceWarningTitle=Không đủ chỗ trống
DiskSpaceWarning=Cần ít nhất %1 KB chỗ trống để cài, nhưng ổ đĩa đã chọn chỉ còn %2 KB.%n%nVẫn tiếp tục?
DirNameTooLong=Tên thư mục hoặc đường dẫn quá dài.
InvalidDirName=Tên thư mục không hợp lệ.
BadDirName32=Tên thư mục không được chứa các ký tự sau:%n%n%1
DirExistsTitle=Thư mục đã có
DirExists=Thư mục:%n%n%1%n%nđã có. Vẫn cài vào thư mục này?
DirDoesntExistTitle=Thư mục chưa có
DirDoesntExist=Thư mục:%n%n%1%n%nchưa có. Tạo thư mục này?

; *** "Select Additional Tasks" wizard page
WizardSelectTasks=Chọn việc làm thêm
SelectTasksDesc=Làm thêm những việc nào?
SelectTasksLabel2=Chọn những việc Cài đặt làm thêm khi cài [name], rồi bấm Tiếp.

; *** "Select Start Menu Folder" wizard page
WizardSelectProgramGroup=Chọn thư mục trong menu Start
SelectStartMenuFolderDesc=Đặt lối tắt của chương trình ở đâu?
SelectStartMenuFolderLabel3=Cài đặt sẽ tạo lối tắt của chương trình trong thư mục sau của menu Start.
SelectStartMenuFolderBrowseLabel=Bấm Tiếp để tiếp tục. Muốn chọn thư mục khác, bấm Chọn.
MustEnterGroupName=Cần nhập tên thư mục.
GroupNameTooLong=Tên thư mục hoặc đường dẫn quá dài.
InvalidGroupName=Tên thư mục không hợp lệ.
BadGroupName=Tên thư mục không được chứa các ký tự sau:%n%n%1
NoProgramGroupCheck2=&Không tạo thư mục trong menu Start

; *** "Ready to Install" wizard page
WizardReady=Sẵn sàng cài đặt
ReadyLabel1=Cài đặt đã sẵn sàng cài [name] vào máy tính này.
ReadyLabel2a=Bấm Cài đặt để bắt đầu, hoặc Quay lại để xem lại hay đổi lựa chọn.
ReadyLabel2b=Bấm Cài đặt để bắt đầu.
ReadyMemoDir=Nơi cài đặt:
ReadyMemoGroup=Thư mục trong menu Start:
ReadyMemoTasks=Việc làm thêm:

; *** "Preparing to Install" wizard page
WizardPreparing=Chuẩn bị cài đặt
PreparingDesc=Cài đặt đang chuẩn bị cài [name] vào máy tính này.
PreviousInstallNotCompleted=Lần cài đặt hoặc gỡ cài đặt trước chưa xong. Cần khởi động lại máy để hoàn tất.%n%nSau khi khởi động lại, hãy chạy lại Cài đặt để cài [name].
CannotContinue=Không tiếp tục cài được. Bấm Hủy để thoát.
ApplicationsFound=Các chương trình sau đang dùng tệp mà Cài đặt cần thay. Nên để Cài đặt tự đóng chúng.
ApplicationsFound2=Các chương trình sau đang dùng tệp mà Cài đặt cần thay. Nên để Cài đặt tự đóng chúng. Cài xong, Cài đặt sẽ thử mở lại chúng.
CloseApplications=&Tự đóng các chương trình
DontCloseApplications=&Không đóng các chương trình
ErrorCloseApplications=Cài đặt không tự đóng được mọi chương trình. Trước khi tiếp tục, nên đóng các chương trình đang dùng tệp mà Cài đặt cần thay.

; *** "Installing" wizard page
WizardInstalling=Đang cài đặt
InstallingLabel=Xin chờ trong khi Cài đặt cài [name] vào máy tính này.

; *** "Setup Completed" wizard page
FinishedHeadingLabel=Đã cài xong [name]
FinishedLabelNoIcons=Đã cài xong [name] vào máy tính này.
FinishedLabel=Đã cài xong [name] vào máy tính này. Mở chương trình bằng lối tắt trong menu Start.
ClickFinish=Bấm Xong để thoát Cài đặt.
FinishedRestartLabel=Để cài xong [name], cần khởi động lại máy. Khởi động lại ngay?
FinishedRestartMessage=Để cài xong [name], cần khởi động lại máy.%n%nKhởi động lại ngay?
ShowReadmeCheck=Có, tôi muốn xem tệp hướng dẫn
YesRadio=&Có, khởi động lại máy ngay
NoRadio=&Không, tôi sẽ khởi động lại sau
RunEntryExec=Mở %1
RunEntryShellExec=Xem %1

; *** "Setup Needs the Next Disk" stuff
SetupAborted=Chưa cài xong.%n%nHãy sửa lỗi rồi chạy lại Cài đặt.

; *** Installation status messages
StatusClosingApplications=Đang đóng các chương trình...
StatusCreateDirs=Đang tạo thư mục...
StatusExtractFiles=Đang chép tệp...
StatusCreateIcons=Đang tạo lối tắt...
StatusCreateIniEntries=Đang ghi cấu hình...
StatusCreateRegistryEntries=Đang ghi vào Registry...
StatusRegisterFiles=Đang đăng ký tệp...
StatusSavingUninstall=Đang lưu thông tin gỡ cài đặt...
StatusRunProgram=Đang hoàn tất...
StatusRestartingApplications=Đang mở lại các chương trình...
StatusRollback=Đang hoàn lại các thay đổi...

; *** Misc. errors
ErrorInternal2=Lỗi bên trong: %1
ErrorFunctionFailedNoCode=%1 không thành công
ErrorFunctionFailed=%1 không thành công; mã %2
ErrorFunctionFailedWithMessage=%1 không thành công; mã %2.%n%3
ErrorExecutingProgram=Không chạy được tệp:%n%1

; *** File copying errors
SourceIsCorrupted=Tệp nguồn bị hỏng
SourceDoesntExist=Không có tệp nguồn "%1"
ErrorReadingSource=Lỗi khi đọc tệp nguồn:
ErrorCopying=Lỗi khi chép tệp:
ErrorReplacingExistingFile=Lỗi khi thay tệp đã có:
ErrorRestartReplace=Không thay được tệp khi khởi động lại:
ErrorRenamingTemp=Lỗi khi đổi tên tệp trong thư mục cài đặt:
ErrorCreatingTemp=Lỗi khi tạo tệp trong thư mục cài đặt:

; *** Uninstaller messages
UninstallNotFound=Không có tệp "%1". Không gỡ cài đặt được.
UninstallOpenError=Không mở được tệp "%1". Không gỡ cài đặt được
UninstallUnsupportedVer=Tệp nhật ký gỡ cài đặt "%1" có dạng mà bản gỡ cài đặt này không đọc được. Không gỡ cài đặt được
UninstallUnknownEntry=Gặp mục lạ (%1) trong nhật ký gỡ cài đặt
ConfirmUninstall=Gỡ hẳn %1 khỏi máy tính này?%n%nSố liệu, hồ sơ, khóa và bản sao lưu không bị xóa.
UninstallStatusLabel=Xin chờ trong khi %1 được gỡ khỏi máy tính này.
UninstalledAll=Đã gỡ xong %1 khỏi máy tính này.
UninstalledMost=Đã gỡ xong %1.%n%nMột số mục không xóa được; có thể tự xóa chúng.
UninstalledAndNeedsRestart=Để gỡ xong %1, cần khởi động lại máy.%n%nKhởi động lại ngay?
UninstallDataCorrupted=Tệp "%1" bị hỏng. Không gỡ cài đặt được

; *** Uninstallation phase messages
WizardUninstalling=Tình trạng gỡ cài đặt
StatusUninstalling=Đang gỡ %1...

; *** Shutdown block reasons
ShutdownBlockReasonInstallingApp=Đang cài %1.
ShutdownBlockReasonUninstallingApp=Đang gỡ %1.

[CustomMessages]
NameAndVersion=%1 phiên bản %2
AdditionalIcons=Lối tắt thêm:
CreateDesktopIcon=Tạo lối tắt trên &màn hình nền
UninstallProgram=Gỡ cài đặt %1
LaunchProgram=Mở %1
AssocFileExtension=&Mở các tệp %2 bằng %1
AssocingFileExtension=Đang gắn các tệp %2 với %1...
DataKept=Số liệu, hồ sơ, khóa và bản sao lưu của KH75 Desktop vẫn được giữ lại ở:%n%n%1%n%nCài lại KH75 Desktop thì mở được ngay. Muốn xóa hẳn (ví dụ khi trả máy), hãy sao lưu trước rồi tự xóa thư mục này.
