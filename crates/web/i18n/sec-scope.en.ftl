# Who owns which settings, the audit log's scope and the upload rules (issue 8)

sec-scope-portal-root-only = The portal's contact details speak for the whole installation: only an admin of the root unit may change them.
sec-scope-template-other-unit = You may change the notice templates of your own unit and the units below it only.
sec-scope-templates-help = Templates belong to a unit: a unit's template applies to it and every unit below it, and overrides its parent's. Where a unit has none, its parent's template or the default applies.
sec-scope-templates-unit = Unit
sec-scope-templates-show = Show
sec-scope-template-default = Default
sec-scope-template-own = This unit's template
sec-scope-template-inherited = From { $unit }
sec-scope-template-reset = Remove this unit's template and use the parent's
sec-scope-bad-file = File "{ $file }":{" "}
err-file-type-mismatch = The file's extension does not match its content (PDF, PNG, JPEG, Word, Excel and text only).
err-unknown-setting = There is no such setting.
audit-portal-settings-set = Portal contact details changed
audit-notice-template-set = Notice template changed
audit-notice-template-reset = Notice template reset to the parent's
