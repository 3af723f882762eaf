package demo_test

import (
	"fmt"
	"time"

	"github.com/shuniu-oa/shuniu/internal/demo"
)

// The accounts `shuniu demo` prints at start. The output also pins the
// generated names: if it changes, every demo screenshot changes with it.
func ExampleNewDistrict() {
	d := demo.NewDistrict(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	fmt.Printf("%s（%s） %d 个单位 %d 人\n", d.Name, d.City, len(d.Units), len(d.People))
	for _, l := range d.Logins {
		fmt.Printf("%-8s %s  %s  %s  %s%s\n", l.Login, l.Password, l.Role.Label(), l.Name, l.Unit, l.Title)
	}
	// Output:
	// 清澜区（云泽市） 219 个单位 307 人
	// wenmi    Demo@2026ql  文秘  陆少生  清澜区人民政府办公室秘书科科员
	// zhuren   Demo@2026ql  办公室主任  于文刚  清澜区人民政府办公室主任
	// lingdao  Demo@2026ql  领导  何振勇  清澜区人民政府副区长
	// chengban Demo@2026ql  承办人  侯立波  清澜区发展和改革局综合规划科科员
	// ducha    Demo@2026ql  督查员  谢学鹏  清澜区人民政府办公室督查室科员
	// jiyao    Demo@2026ql  机要员  曾立东  中共清澜区委办公室机要科科员
	// sysadmin Demo@2026ql  系统管理员  周少磊  清澜区数据局电子政务科系统管理员
	// secadmin Demo@2026ql  安全保密管理员  蔡长涛  中共清澜区委办公室机要科安全保密管理员
	// auditor  Demo@2026ql  安全审计员  林振波  中共清澜区委网络安全和信息化委员会办公室网络安全科安全审计员
}
