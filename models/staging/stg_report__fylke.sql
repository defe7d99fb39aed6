{{ stage_report_seed('report_fylke') }}
