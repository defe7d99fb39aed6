{{ stage_report_seed(
    ref('report_fylke_og_tiltak'),
    table_code='fylke_tiltak'
) }}
