//! The demonstration unit tree: a province with three cities, their districts, townships,
//! villages and departments. Names and division codes are public facts (GB/T 2260).

pub struct County {
    pub code: &'static str,
    pub name: &'static str,
    pub pinyin: &'static str,
}

pub struct City {
    pub code: &'static str,
    pub name: &'static str,
    pub pinyin: &'static str,
    pub counties: &'static [County],
}

pub const PROVINCE: (&str, &str) = ("330000", "浙江省");

pub const CITIES: &[City] = &[
    City {
        code: "330100",
        name: "杭州市",
        pinyin: "hangzhou",
        counties: &[
            County {
                code: "330102",
                name: "上城区",
                pinyin: "shangcheng",
            },
            County {
                code: "330105",
                name: "拱墅区",
                pinyin: "gongshu",
            },
            County {
                code: "330106",
                name: "西湖区",
                pinyin: "xihu",
            },
            County {
                code: "330109",
                name: "萧山区",
                pinyin: "xiaoshan",
            },
            County {
                code: "330110",
                name: "余杭区",
                pinyin: "yuhang",
            },
        ],
    },
    City {
        code: "330200",
        name: "宁波市",
        pinyin: "ningbo",
        counties: &[
            County {
                code: "330203",
                name: "海曙区",
                pinyin: "haishu",
            },
            County {
                code: "330205",
                name: "江北区",
                pinyin: "jiangbei",
            },
            County {
                code: "330212",
                name: "鄞州区",
                pinyin: "yinzhou",
            },
        ],
    },
    City {
        code: "330300",
        name: "温州市",
        pinyin: "wenzhou",
        counties: &[
            County {
                code: "330302",
                name: "鹿城区",
                pinyin: "lucheng",
            },
            County {
                code: "330304",
                name: "瓯海区",
                pinyin: "ouhai",
            },
            County {
                code: "330381",
                name: "瑞安市",
                pinyin: "ruian",
            },
        ],
    },
];

/// Township and subdistrict names, handed out in turn.
pub const TOWNSHIPS: &[&str] = &[
    "东坡街道",
    "湖滨街道",
    "清波街道",
    "小营街道",
    "南星街道",
    "紫阳街道",
    "望江街道",
    "米市巷街道",
    "文新街道",
    "翠苑街道",
    "古荡街道",
    "留下街道",
    "转塘街道",
    "北山街道",
    "蒋村街道",
    "三墩镇",
    "城厢街道",
    "北干街道",
    "新塘街道",
    "瓜沥镇",
    "临平街道",
    "南苑街道",
    "星桥街道",
    "良渚街道",
    "鼓楼街道",
    "月湖街道",
    "白云街道",
    "庄桥街道",
    "甬江街道",
    "洪塘街道",
    "钟公庙街道",
    "下应街道",
    "五马街道",
    "松台街道",
    "南汇街道",
    "景山街道",
    "娄桥街道",
    "安阳街道",
    "玉海街道",
    "塘下镇",
];

/// Village and community names, handed out in turn.
pub const VILLAGES: &[&str] = &[
    "和平社区",
    "光明社区",
    "幸福村",
    "新民村",
    "东山村",
    "西溪社区",
    "桃源村",
    "青山村",
    "龙井村",
    "白鹭社区",
    "荷花社区",
    "长乐村",
    "丰收村",
    "金桥社区",
    "永安村",
    "双溪村",
    "春晓社区",
    "枫林村",
    "竹园村",
    "清泉社区",
];

/// Departments under each city and county: (code suffix, name, English name).
pub const DEPARTMENTS: &[(&str, &str, &str)] = &[
    (
        "RS",
        "人力资源和社会保障局",
        "Human Resources and Social Security Bureau",
    ),
    (
        "ZJ",
        "住房和城乡建设局",
        "Housing and Urban-Rural Development Bureau",
    ),
    ("SJ", "市场监督管理局", "Market Supervision Bureau"),
    (
        "ZR",
        "自然资源和规划局",
        "Natural Resources and Planning Bureau",
    ),
    ("GA", "公安局", "Public Security Bureau"),
];
