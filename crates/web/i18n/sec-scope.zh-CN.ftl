# 设置的归属、审计范围与附件规则（issue 8）

sec-scope-portal-root-only = 门户首页的联系信息代表整个系统，只有根单位的管理员可以修改。
sec-scope-template-other-unit = 只能修改本单位及下级单位的文书模板。
sec-scope-templates-help = 模板按单位保存：本单位的模板适用于本单位及所有下级单位，并覆盖上级单位的模板；没有改过的使用上级单位的模板或系统默认模板。
sec-scope-templates-unit = 单位
sec-scope-templates-show = 查看
sec-scope-template-default = 系统默认
sec-scope-template-own = 本单位模板
sec-scope-template-inherited = 沿用 { $unit } 的模板
sec-scope-template-reset = 删除本单位模板，改用上级模板
sec-scope-bad-file = 文件“{ $file }”：
err-file-type-mismatch = 文件扩展名与文件内容不符（仅限 PDF、PNG、JPEG、Word、Excel、文本）。
err-unknown-setting = 没有这项设置。
audit-portal-settings-set = 修改门户联系信息
audit-notice-template-set = 修改文书模板
audit-notice-template-reset = 恢复上级文书模板
